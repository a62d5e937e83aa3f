using System.Collections.Immutable;

namespace MutualAssistance.Grains.Escalations;

/// <summary>
/// Warnings at fractions of a clock's period, then the breach, then escalation levels some days after it.
/// Default: warnings at 50% and 75%; level 1 at breach (the responsible side's supervisor), level 2 seven
/// days later (head of the central authority), level 3 thirty days later (consultation with the other state).
/// </summary>
public sealed record EscalationLadder
{
    /// <summary>Percentages of the period at which a warning is due, ascending.</summary>
    public required ImmutableArray<int> WarningPercents { get; init; }
    public required ImmutableArray<EscalationStep> Steps { get; init; }

    public static EscalationLadder Default { get; } = new()
    {
        WarningPercents = [50, 75],
        Steps =
        [
            new EscalationStep { Level = 1, DaysAfterBreach = 0, Addressee = "supervisor of the responsible side" },
            new EscalationStep { Level = 2, DaysAfterBreach = 7, Addressee = "head of the central authority" },
            new EscalationStep
            {
                Level = 3, DaysAfterBreach = 30, Addressee = "consultation with the other state",
                Duty = "inform the other state of the reasons and a new estimate (EIO art. 12(5)-(6))",
            },
        ],
    };
}

public sealed record EscalationStep
{
    public required int Level { get; init; }
    public required int DaysAfterBreach { get; init; }
    public required string Addressee { get; init; }
    public string? Duty { get; init; }
}
