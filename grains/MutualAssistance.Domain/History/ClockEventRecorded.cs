using System.Text.Json.Serialization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.History;

/// <summary>
/// A clock's warning, breach or escalation as the history records it: which clock, when it fell due, and what it
/// says; its one clock change reads "decision: escalation - level 2: …; duty: … (due 2025-04-12T16:00:00Z)".
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockEventRecorded")]
public abstract record ClockEventRecorded : HistoryEvent
{
    [Id(0)] public required ClockKind Clock { get; init; }
    [Id(1)] public required DateTimeOffset DueAt { get; init; }

    /// <summary>What the event says, after its name.</summary>
    [JsonIgnore] public abstract string Description { get; }

    public override string Change => $"{WireNames.Of(Clock)}: {Name} - {Description} (due {AssistanceRequest.Instant(DueAt)})";

    /// <summary>
    /// The payload of a clock event, from its clock (this node's, or sent by the peer). A peer's event carries its
    /// description as text (<c>ma-exchange/1</c>): an escalation's addressee and duty are read from it, and a
    /// description this release would not make becomes an <see cref="UnreadEvent"/> that keeps it as it came.
    /// </summary>
    public static HistoryEvent Of(ClockEvent clockEvent)
    {
        HistoryEvent? typed = clockEvent.Event switch
        {
            ClockEventKind.Warning => new ClockWarned { Clock = clockEvent.Kind, DueAt = clockEvent.DueAt, Percent = clockEvent.Value },
            ClockEventKind.Breach => new ClockBreached { Clock = clockEvent.Kind, DueAt = clockEvent.DueAt },
            ClockEventKind.Escalation => EscalationText.Read(clockEvent.Description) is { } step && step.Level == clockEvent.Value
                ? new ClockEscalated { Clock = clockEvent.Kind, DueAt = clockEvent.DueAt, Level = step.Level, Addressee = step.Addressee, Duty = step.Duty }
                : null,
            _ => null,
        };
        return typed is ClockEventRecorded recorded && recorded.Description == clockEvent.Description
            ? typed
            : new UnreadEvent
            {
                EventName = WireNames.Of(clockEvent.Event),
                ClockChange = $"{WireNames.Of(clockEvent.Kind)}: {WireNames.Of(clockEvent.Event)} - {clockEvent.Description} (due {AssistanceRequest.Instant(clockEvent.DueAt)})",
            };
    }
}

/// <summary>A warning: a share of the clock's period has passed.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockWarned")]
public sealed record ClockWarned : ClockEventRecorded
{
    [Id(0)] public required int Percent { get; init; }

    public override string Name => WireNames.Of(ClockEventKind.Warning);
    public override string Description => Describe(Percent);

    public static string Describe(int percent) => $"{percent}% of the period has passed";
}

/// <summary>The breach: the clock's period has ended (escalation level 0, for the notifier).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockBreached")]
public sealed record ClockBreached : ClockEventRecorded
{
    public const string Described = "the period has ended";

    public override string Name => WireNames.Of(ClockEventKind.Breach);
    public override string Description => Described;
}

/// <summary>An escalation level of the ladder: to whom, with what duty (the policy file's words when it was recorded).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockEscalated")]
public sealed record ClockEscalated : ClockEventRecorded
{
    [Id(0)] public required int Level { get; init; }
    [Id(1)] public required string Addressee { get; init; }
    [Id(2)] public string? Duty { get; init; }

    public override string Name => WireNames.Of(ClockEventKind.Escalation);
    public override string Description => EscalationText.Describe(Level, Addressee, Duty);
}
