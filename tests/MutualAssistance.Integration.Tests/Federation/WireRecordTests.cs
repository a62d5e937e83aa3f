using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Federation;
using MutualAssistance.Federation.Wire;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The wire records of <c>ma-exchange/1</c> hold the protocol by themselves: every field names itself on the wire (a
/// renamed property changes nothing), no domain type hides in them, the enums that travel keep their wire names, the
/// fields are exactly those of the protocol, and a payload the earlier release refused is refused still. Nothing here
/// reads the domain's types as JSON: the domain may change, these may not without a new version.
/// </summary>
[Trait("Category", "Fast")]
public sealed class WireRecordTests
{
    /// <summary>The fields of <c>ma-exchange/1</c> (PROTOCOL.md, "Messages"), as the allow-list of the release before the wire records listed them.</summary>
    private static readonly string[] ProtocolFields =
    [
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
        "change.state.filed.urgency", "change.state.filed.requestedBy", "change.state.filed.requestedByReasons", "change.state.filed.receivedAt", "change.state.filed.subject",
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
    ];

    /// <summary>Every wire name of every enum that travels, in declaration order: renaming a member would change these.</summary>
    private static readonly Dictionary<Type, string[]> EnumNames = new()
    {
        [typeof(MessageKind)] = ["change", "command", "receipt", "decision"],
        [typeof(ReceiveOutcome)] = ["applied", "duplicate", "held", "diverged", "invalid"],
        [typeof(RequestStatus)] = ["submitted", "acknowledged", "forwarded", "accepted", "partially-executed", "executed", "closed", "awaiting-information", "postponed", "refused", "returned-unexecuted", "withdrawn"],
        [typeof(Role)] = ["filer", "handler", "supervisor", "viewer", "admin", "auditor"],
        [typeof(AssistanceType)] = ["taking-evidence", "service-of-documents", "search-and-seizure", "freezing-assets", "hearing-by-video", "banking-information", "other"],
        [typeof(Urgency)] = ["normal", "urgent"],
        [typeof(ClockKind)] = ["acknowledgement", "decision", "execution", "information", "provisional-measures", "production", "service", "progress"],
        [typeof(Side)] = ["requesting", "requested"],
        [typeof(ClockState)] = ["running", "paused", "met", "breached", "cancelled"],
        [typeof(PeriodUnit)] = ["calendar-days", "working-days", "hours"],
        [typeof(ClockEventKind)] = ["warning", "breach", "escalation"],
        [typeof(RequestAction)] = ["acknowledge", "forward", "request-information", "provide-information", "accept", "postpone", "resume", "extend", "partially-execute", "execute", "refuse", "return-unexecuted", "withdraw", "close", "serve-order", "inform-delay", "ask-progress", "report-progress", "consult"],
        [typeof(ActionOutcome)] = ["applied", "not-found", "forbidden", "not-allowed-in-status", "invalid", "version-mismatch", "pending"],
    };

    private static readonly Type[] Records = typeof(WireMessage).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(WireMessage).Namespace && t.IsPublic && !t.IsAbstract).ToArray();

    [Fact]
    public void Every_property_of_every_wire_record_names_its_field_on_the_wire()
    {
        Assert.Contains(typeof(WireMessage), Records);
        var unnamed = Records.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                .Select(p => $"{t.Name}.{p.Name}"))
            .Concat(Records.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => $"{t.Name}.{f.Name} (a field)")))
            .ToList();
        Assert.True(unnamed.Count == 0, "Without [JsonPropertyName], renaming these would change the protocol: " + string.Join(", ", unnamed));
        Assert.DoesNotContain(Records.SelectMany(t => t.GetProperties()), p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null);
    }

    [Fact]
    public void A_property_renamed_without_its_explicit_name_would_be_caught()
    {
        // What the check above guards against: the same record without the attribute puts its C# name on the wire.
        var named = JsonSerializer.Serialize(new WireChainHead { Sequence = 1, Hash = "h" }, ExchangeJson.Options);
        var renamed = JsonSerializer.Serialize(new RenamedHead { Number = 1, Hash = "h" }, ExchangeJson.Options);
        Assert.Equal("""{"sequence":1,"hash":"h"}""", named);
        Assert.NotEqual(named, renamed);
        Assert.Null(typeof(RenamedHead).GetProperty(nameof(RenamedHead.Number))!.GetCustomAttribute<JsonPropertyNameAttribute>());
    }

    [Fact]
    public void A_wire_record_holds_only_wire_records_values_and_the_enums_whose_names_are_pinned()
    {
        var foreign = new List<string>();
        foreach (var property in Records.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)))
        {
            var type = property.PropertyType;
            type = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>) ? type.GetGenericArguments()[0] : type;
            type = Nullable.GetUnderlyingType(type) ?? type;
            var allowed = Records.Contains(type) || EnumNames.ContainsKey(type)
                || type == typeof(string) || type == typeof(int) || type == typeof(bool) || type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(DateOnly);
            if (!allowed)
            {
                foreign.Add($"{property.DeclaringType!.Name}.{property.Name}: {type.FullName}");
            }
        }

        Assert.True(foreign.Count == 0, "Types whose JSON the wire records do not define: " + string.Join(", ", foreign));
    }

    [Fact]
    public void The_enums_that_travel_keep_their_wire_names()
    {
        foreach (var (type, names) in EnumNames)
        {
            Assert.Equal(names, Enum.GetNames(type).Select(WireNames.Policy.ConvertName));
        }
    }

    [Fact]
    public void The_wire_records_carry_exactly_the_fields_of_the_protocol()
    {
        Assert.Equal(ProtocolFields.Order(StringComparer.Ordinal), ExchangeSchema.Fields.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Payloads a node of either release may be sent, each a valid golden envelope with one thing wrong, and whether
    /// the reader takes it (<c>true</c>) or refuses it as not a message (<see cref="JsonException"/>, answered
    /// <c>malformed</c>): the outcome the earlier release's reader (the domain's types) had, measured against it when
    /// the wire records replaced it, and the same now.
    /// </summary>
    [Theory]
    [InlineData("change-filing.cose", "a field the protocol does not have", "$.extra", "1", false)]
    [InlineData("change-filing.cose", "no kind", "$.kind", null, false)]
    [InlineData("change-filing.cose", "a kind by number", "$.kind", "0", false)]
    [InlineData("change-filing.cose", "a number as text", "$.change.state.version", "\"1\"", false)]
    [InlineData("change-filing.cose", "an unknown status", "$.change.state.status", "\"lost\"", false)]
    [InlineData("change-filing.cose", "no link to follow", "$.change.after", null, false)]
    [InlineData("change-filing.cose", "no events", "$.change.events", null, false)]
    [InlineData("change-filing.cose", "null events", "$.change.events", "null", false)]
    [InlineData("change-filing.cose", "an event without its previous hash", "$.change.events.0.previousHash", null, true)]
    [InlineData("change-filing.cose", "no filing", "$.change.state.filed", null, false)]
    [InlineData("change-filing.cose", "a null filing", "$.change.state.filed", "null", true)]
    [InlineData("change-filing.cose", "a filing without its urgency", "$.change.state.filed.urgency", null, true)]
    [InlineData("change-filing.cose", "a role beside its C# field", "$.change.state.filedBy.roleName", "\"filer\"", false)]
    [InlineData("change-filing.cose", "no clocks", "$.change.state.clocks", null, true)]
    [InlineData("change-filing.cose", "a period without its unit", "$.change.state.clocks.0.period.unit", null, false)]
    [InlineData("change-filing.cose", "no head", "$.change.state.head", null, true)]
    [InlineData("command-provide-information.cose", "an unknown action", "$.command.action.action", "\"fly\"", false)]
    [InlineData("command-provide-information.cose", "a command without its base", "$.command.basedOn", null, false)]
    [InlineData("command-provide-information.cose", "a command without its arrays", "$.command.clockEvents", null, true)]
    [InlineData("command-due-times.json", "a due time without its instant", "$.command.dueTimes.0.dueAt", null, false)]
    [InlineData("command-due-times.json", "a null due time", "$.command.dueTimes.0.dueAt", "null", true)]
    [InlineData("command-clock-events.json", "a clock event without its description", "$.command.clockEvents.0.description", null, false)]
    [InlineData("receipt-applied.cose", "a receipt without its head", "$.receipt.head", null, false)]
    [InlineData("receipt-applied.cose", "an unknown outcome", "$.receipt.outcome", "\"lost\"", false)]
    public void A_payload_with_one_thing_wrong_is_read_or_refused_as_before(string golden, string what, string path, string? json, bool read)
    {
        var payload = Edit(Golden(golden), path, json);
        var outcome = Outcome(() => JsonSerializer.Serialize(ExchangeJson.Read(payload), ExchangeJson.Options));
        Assert.True(read ? outcome.StartsWith("read ", StringComparison.Ordinal) : outcome == nameof(JsonException), $"{what}: {outcome}");
    }

    /// <summary>
    /// Names that are the domain's, not the protocol's, which no release writes: refused (malformed), as PROTOCOL.md
    /// has always said of fields outside the list. The earlier release's reader dropped them unread instead (its
    /// serializer skipped ignored and computed properties silently); no node sends them, so no two nodes disagree.
    /// </summary>
    [Theory]
    [InlineData("$.change.state.referenceVersion", "\"2026-1\"")]
    [InlineData("$.change.state.newEvents", "[]")]
    [InlineData("$.change.state.peerDecisions", "[]")]
    [InlineData("$.change.state.erasedAt", "\"2026-01-01T00:00:00+00:00\"")]
    [InlineData("$.change.state.escalationLevel", "0")]
    [InlineData("$.change.lastSequence", "1")]
    [InlineData("$.command.kind", "\"provide-information\"")]
    public void A_field_of_the_domain_that_no_release_writes_is_refused_as_the_protocol_says(string path, string json)
    {
        var golden = path.StartsWith("$.command", StringComparison.Ordinal) ? "command-provide-information.cose" : "change-filing.cose";
        Assert.Throws<JsonException>(() => ExchangeJson.Read(Edit(Golden(golden), path, json)));
    }

    [Fact]
    public void The_node_local_facts_of_a_request_do_not_travel()
    {
        var message = ExchangeJson.Read(Golden("change-every-field.json"));
        var state = message.Change!.State with
        {
            NewEvents = message.Change.Events,
            ReferenceVersion = "local",
            ErasedAt = DateTimeOffset.UnixEpoch,
            PeerDecisions = [message.Change.State.LastPeerCommand!],
        };
        var sent = ExchangeJson.Read(ExchangeJson.Write(message with { Change = message.Change with { State = state } })).Change!.State;
        Assert.Empty(sent.NewEvents);
        Assert.Null(sent.ReferenceVersion);
        Assert.Null(sent.ErasedAt);
        Assert.Empty(sent.PeerDecisions);
        Assert.Equal(JsonSerializer.Serialize(message.Change.State, ExchangeJson.Options), JsonSerializer.Serialize(sent, ExchangeJson.Options));
    }

    private static string Outcome(Func<string> read)
    {
        try
        {
            return "read " + read();
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }

    /// <summary>The payload with the member at <paramref name="path"/> (<c>$.a.b.0.c</c>) set to <paramref name="json"/>, or removed when null.</summary>
    private static byte[] Edit(byte[] payload, string path, string? json)
    {
        var root = JsonNode.Parse(payload)!;
        var steps = path.Split('.')[1..];
        var parent = steps[..^1].Aggregate(root, (node, step) => int.TryParse(step, out var index) ? node[index]! : node[step]!);
        var last = steps[^1];
        if (json is null)
        {
            Assert.True(parent.AsObject().Remove(last), $"{path} is in the golden envelope");
        }
        else
        {
            parent[last] = JsonNode.Parse(json);
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static byte[] Golden(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(MutualAssistance.Testing.Repository.Root, "tests", "MutualAssistance.Integration.Tests", "Federation", "Golden", "v1", name));
        return name.EndsWith(".cose", StringComparison.Ordinal) ? CoseEnvelope.Decode(bytes).Message.Content!.Value.ToArray() : bytes;
    }

    /// <summary><see cref="WireChainHead"/> with a property renamed and no explicit name: what the first check forbids.</summary>
    private sealed record RenamedHead
    {
        public required int Number { get; init; }

        [JsonPropertyName("hash")] public required string Hash { get; init; }
    }
}
