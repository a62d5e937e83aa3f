using System.Globalization;
using MutualAssistance.Domain.Escalations;

namespace MutualAssistance.Domain.Clocks;

/// <summary>
/// How an escalation describes itself in a clock's change ("level 2: Deputy Prosecutor General; duty: …"): one owner
/// of the wording, both ways. The history's entries keep the escalation typed (<see cref="History.ClockEscalated"/>);
/// the wording is read back only where nothing but text exists: an entry written before payloads were kept, and an
/// escalation a peer node sends (<c>ma-exchange/1</c> carries its description as text).
/// </summary>
public static class EscalationText
{
    private const string LevelPrefix = "level ";
    private const string DutySeparator = "; duty: ";

    public static string Describe(EscalationStep step) => Describe(step.Level, step.Addressee, step.Duty);

    public static string Describe(int level, string addressee, string? duty) =>
        duty is null ? $"{LevelPrefix}{level}: {addressee}" : $"{LevelPrefix}{level}: {addressee}{DutySeparator}{duty}";

    /// <summary>The level, addressee and duty <paramref name="description"/> names, or null when it is no escalation's description as <see cref="Describe(int, string, string?)"/> makes it.</summary>
    public static (int Level, string Addressee, string? Duty)? Read(string description)
    {
        var colon = description.IndexOf(": ", StringComparison.Ordinal);
        if (!description.StartsWith(LevelPrefix, StringComparison.Ordinal) || colon < 0
            || !int.TryParse(description.AsSpan(LevelPrefix.Length, colon - LevelPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var level))
        {
            return null;
        }

        var rest = description[(colon + 2)..];
        var duty = rest.IndexOf(DutySeparator, StringComparison.Ordinal);
        var read = duty < 0 ? (level, rest, (string?)null) : (level, rest[..duty], rest[(duty + DutySeparator.Length)..]);
        return Describe(read.level, read.Item2, read.Item3) == description ? read : null;
    }
}
