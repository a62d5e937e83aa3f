using System.Globalization;
using System.Text.RegularExpressions;
using MutualAssistance.Domain.Escalations;

namespace MutualAssistance.Domain.Clocks;

/// <summary>
/// How an escalation describes itself in a clock's change ("decision: escalation - level 2: Deputy Prosecutor
/// General; duty: … (due …)"), and the level read back from that text: one owner of the format, so that whoever reads
/// a level out of the history (the notifier) reads what this wrote.
/// </summary>
public static partial class EscalationText
{
    public static string Describe(EscalationStep step) =>
        step.Duty is null ? $"level {step.Level}: {step.Addressee}" : $"level {step.Level}: {step.Addressee}; duty: {step.Duty}";

    /// <summary>The level an escalation's change names, or null when the text is no escalation's.</summary>
    public static int? LevelOf(string change) =>
        Level().Match(change) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@": escalation - level (\d+): ", RegexOptions.CultureInvariant)]
    private static partial Regex Level();
}
