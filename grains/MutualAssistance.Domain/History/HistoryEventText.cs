using System.Globalization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Domain.History;

/// <summary>
/// Reads an entry's text back into its payload, where nothing but the text exists: entries written before payloads
/// were kept (<see cref="HistoryEntry.What"/>, the notifier's rows without a payload) and the events a peer node
/// sends (<c>ma-exchange/1</c> carries the text). A payload is read only when it makes exactly the text it was read
/// from (version 1's wording); any other text becomes an <see cref="UnreadEvent"/> that keeps its name and change,
/// so nothing recorded is lost or misread.
/// </summary>
public static class HistoryEventText
{
    private const string DuePrefix = " (due ";

    public static HistoryEvent Read(string eventName, IReadOnlyList<string> changes)
    {
        HistoryEvent? read = eventName switch
        {
            "file" => new RequestFiled(),
            "recalculation" => new DueTimesRecalculated(),
            Requests.AssistanceRequest.RefusedEvent => new PeerActionRefused(),
            _ when WireNames.TryParse<ClockEventKind>(eventName, out var kind) => changes.Count == 1 ? ClockEvent(kind, changes[0]) : null,
            _ when WireNames.TryParse<RequestAction>(eventName, out var action) => new ActionTaken { Action = action },
            _ => null,
        };
        return read is not null && read.Makes(eventName, changes)
            ? read
            : new UnreadEvent { EventName = eventName, ClockChange = WireNames.TryParse<ClockEventKind>(eventName, out _) && changes.Count == 1 ? changes[0] : null };
    }

    /// <summary>"{clock}: {event} - {description} (due {instant})", as <see cref="ClockEventRecorded.Change"/> makes it.</summary>
    private static ClockEventRecorded? ClockEvent(ClockEventKind kind, string change)
    {
        var name = WireNames.Of(kind);
        var colon = change.IndexOf(": ", StringComparison.Ordinal);
        var due = change.LastIndexOf(DuePrefix, StringComparison.Ordinal);
        if (colon < 0 || due < colon || !change.EndsWith(')') || !WireNames.TryParse<ClockKind>(change[..colon], out var clock)
            || !DateTimeOffset.TryParseExact(change[(due + DuePrefix.Length)..^1], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dueAt))
        {
            return null;
        }

        var said = change[(colon + 2)..due];
        if (!said.StartsWith(name + " - ", StringComparison.Ordinal))
        {
            return null;
        }

        var description = said[(name.Length + 3)..];
        dueAt = dueAt.ToUniversalTime();
        return kind switch
        {
            ClockEventKind.Warning when description.EndsWith("% of the period has passed", StringComparison.Ordinal)
                && int.TryParse(description.AsSpan(0, description.IndexOf('%')), NumberStyles.None, CultureInfo.InvariantCulture, out var percent) =>
                new ClockWarned { Clock = clock, DueAt = dueAt, Percent = percent },
            ClockEventKind.Breach => new ClockBreached { Clock = clock, DueAt = dueAt },
            ClockEventKind.Escalation when EscalationText.Read(description) is { } step =>
                new ClockEscalated { Clock = clock, DueAt = dueAt, Level = step.Level, Addressee = step.Addressee, Duty = step.Duty },
            _ => null,
        };
    }
}
