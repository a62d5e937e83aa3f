using System.Collections.Frozen;
using System.Text.Json;

namespace MutualAssistance.Federation;

/// <summary>
/// Every field that may travel between nodes, as JSON paths of <see cref="ExchangeMessage"/> (<c>[]</c>: each item of
/// an array): the shared request and the exchange's own bookkeeping, nothing else. A field added to the request or to
/// a message is not allowed to leave the node until it is listed here (and in PROTOCOL.md); the envelope field scan
/// test reads every message sent in the test run against this list.
/// </summary>
public static class ExchangeSchema
{
    public static readonly FrozenSet<string> Fields = new[]
    {
        // The envelope
        "protocol", "kind", "sender", "recipient", "requestId", "sentAt", "sequence",
        // A change: the link it follows, its events, the request after them
        "change", "change.after", "change.after.sequence", "change.after.hash",
        "change.events", "change.events[].sequence", "change.events[].at", "change.events[].event",
        "change.events[].actor", "change.events[].actor.subject", "change.events[].actor.authority", "change.events[].actor.role",
        "change.events[].reason", "change.events[].statusBefore", "change.events[].statusAfter", "change.events[].clockChanges",
        "change.events[].clockChanges[]", "change.events[].previousHash", "change.events[].hash", "change.events[].reasonDigest",
        "change.state", "change.state.id", "change.state.version", "change.state.status", "change.state.filingFingerprint",
        "change.state.receivedAt", "change.state.filedAt", "change.state.filedBy", "change.state.filedBy.subject",
        "change.state.filedBy.authority", "change.state.filedBy.role", "change.state.requestedReference", "change.state.forwardedTo",
        "change.state.priorStatus", "change.state.servedOn", "change.state.servedAt",
        "change.state.head", "change.state.head.sequence", "change.state.head.hash", "change.state.lastEventAt", "change.state.historySalt",
        "change.state.lastPeerCommand", "change.state.lastPeerCommand.sequence", "change.state.lastPeerCommand.outcome",
        "change.state.lastPeerCommand.detail", "change.state.lastPeerCommand.recordedAt",
        "change.state.filed", "change.state.filed.requestingAuthority", "change.state.filed.requestedAuthority",
        "change.state.filed.legalBasis", "change.state.filed.treaty", "change.state.filed.assistanceTypes", "change.state.filed.assistanceTypes[]",
        "change.state.filed.urgency", "change.state.filed.requestedBy", "change.state.filed.receivedAt", "change.state.filed.subject",
        "change.state.filed.summaryOfFacts", "change.state.filed.personsConcerned", "change.state.filed.personsConcerned[].name",
        "change.state.filed.personsConcerned[].nationality", "change.state.filed.personsConcerned[].role",
        "change.state.filed.requestingReference", "change.state.filed.confidential", "change.state.filed.relatedRequestIds",
        "change.state.filed.relatedRequestIds[]", "change.state.filed.language",
        "change.state.clocks", "change.state.clocks[].id", "change.state.clocks[].kind", "change.state.clocks[].side",
        "change.state.clocks[].responsibleAuthority", "change.state.clocks[].startedAt", "change.state.clocks[].period",
        "change.state.clocks[].period.amount", "change.state.clocks[].period.unit", "change.state.clocks[].fixedLastDay",
        "change.state.clocks[].state", "change.state.clocks[].pauses", "change.state.clocks[].pauses[].from", "change.state.clocks[].pauses[].until",
        "change.state.clocks[].pauses[].by", "change.state.clocks[].pauses[].reason", "change.state.clocks[].pauses[].cause",
        "change.state.clocks[].extensions", "change.state.clocks[].extensions[].at", "change.state.clocks[].extensions[].by",
        "change.state.clocks[].extensions[].days", "change.state.clocks[].extensions[].reason", "change.state.clocks[].extensions[].estimate",
        "change.state.clocks[].dueAt", "change.state.clocks[].warningsRecorded", "change.state.clocks[].warningsRecorded[]",
        "change.state.clocks[].breachedAt", "change.state.clocks[].escalationLevel", "change.state.clocks[].stoppedAt", "change.state.clocks[].source",
        // A command: an action taken on the following node
        "command", "command.sequence", "command.basedOn", "command.issuedAt", "command.actor", "command.actor.subject",
        "command.actor.authority", "command.actor.role", "command.action", "command.action.action", "command.action.reason",
        "command.action.grounds", "command.action.estimate", "command.action.clock", "command.action.days", "command.action.requestedReference",
        "command.action.forwardedTo", "command.action.note", "command.action.expectedVersion", "command.action.servedOn", "command.action.servedAt",
        "command.clockEvents", "command.clockEvents[].clockId", "command.clockEvents[].kind", "command.clockEvents[].event", "command.clockEvents[].dueAt",
        "command.clockEvents[].value", "command.clockEvents[].description", "command.dueTimes", "command.dueTimes[].clockId", "command.dueTimes[].dueAt",
        // A decision on a command
        "decision", "decision.sequence", "decision.outcome", "decision.detail", "decision.recordedAt",
        // A receipt
        "receipt", "receipt.envelopeHash", "receipt.outcome", "receipt.committed", "receipt.committed.sequence", "receipt.committed.hash",
        "receipt.head", "receipt.head.sequence", "receipt.head.hash", "receipt.detail",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every field path present in a message's JSON, in the notation of <see cref="Fields"/>.</summary>
    public static IEnumerable<string> PathsOf(JsonElement element, string prefix = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                    yield return path;
                    foreach (var inner in PathsOf(property.Value, path))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    var path = prefix + "[]";
                    if (item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                    {
                        yield return path;
                    }

                    foreach (var inner in PathsOf(item, path))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
