using System.Reflection;
using System.Text.Json;
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
/// fields are exactly those of the protocol, and a message the earlier release refused is refused still.
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
    ];

    /// <summary>Every wire name of every enum that travels, in declaration order: renaming a member would change these.</summary>
    private static readonly Dictionary<Type, string[]> EnumNames = new()
    {
        [typeof(MessageKind)] = ["change", "command", "receipt", "decision"],
        [typeof(ReceiveOutcome)] = ["applied", "duplicate", "held", "diverged", "invalid"],
        [typeof(RequestStatus)] = ["submitted", "acknowledged", "forwarded", "accepted", "partially-executed", "executed", "closed", "awaiting-information", "postponed", "refused", "returned-unexecuted", "withdrawn"],
        [typeof(Role)] = ["filer", "handler", "supervisor", "viewer", "admin", "auditor"],
        [typeof(LegalBasis)] = ["eio", "treaty", "cets224-subscriber", "cets224-traffic"],
        [typeof(AssistanceType)] = ["taking-evidence", "service-of-documents", "search-and-seizure", "freezing-assets", "hearing-by-video", "banking-information", "other"],
        [typeof(Urgency)] = ["normal", "urgent"],
        [typeof(ClockKind)] = ["acknowledgement", "decision", "execution", "information", "provisional-measures", "production", "service"],
        [typeof(Side)] = ["requesting", "requested"],
        [typeof(ClockState)] = ["running", "paused", "met", "breached", "cancelled"],
        [typeof(PeriodUnit)] = ["calendar-days", "working-days", "hours"],
        [typeof(ClockEventKind)] = ["warning", "breach", "escalation"],
        [typeof(RequestAction)] = ["acknowledge", "forward", "request-information", "provide-information", "accept", "postpone", "resume", "extend", "partially-execute", "execute", "refuse", "return-unexecuted", "withdraw", "close", "serve-order"],
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

    [Theory]
    [InlineData("a field the protocol does not have", "\"sentAt\"", "\"extra\":1,\"sentAt\"")]
    [InlineData("no kind", "\"kind\":\"change\",", "")]
    [InlineData("a kind by number", "\"kind\":\"change\"", "\"kind\":0")]
    [InlineData("an unknown status", "\"status\":\"submitted\"", "\"status\":\"lost\"")]
    [InlineData("no events", "\"events\":", "\"evts\":")]
    [InlineData("null events", "\"events\":[", "\"events\":null,\"x\":[")]
    [InlineData("no filing", "\"filed\":", "\"filedX\":")]
    [InlineData("a null filing", "\"filed\":{", "\"filed\":null,\"y\":{")]
    [InlineData("a role by a C# field", "\"role\":\"filer\"}", "\"role\":\"filer\",\"roleName\":\"filer\"}")]
    [InlineData("a period without its unit", ",\"unit\":\"calendar-days\"", "")]
    [InlineData("no head", "\"head\":{\"sequence\":1,", "\"headX\":{\"sequence\":1,")]
    public void A_change_is_refused_or_read_as_the_earlier_release_did(string what, string find, string replace)
    {
        var valid = Encoding(Golden("change-filing.cose"));
        var text = ReplaceFirst(valid, find, replace);
        Assert.NotEqual(valid, text);
        AssertSameOutcome(what, text);
    }

    /// <summary>
    /// Names that are the domain's, not the protocol's: no release writes them. The earlier release dropped them
    /// unread (its serializer skipped ignored and computed properties silently), though PROTOCOL.md has always said
    /// fields outside the list are refused; the wire records have no such names, so they are refused (malformed).
    /// </summary>
    [Theory]
    [InlineData("the node-local reference version", "\"historySalt\"", "\"referenceVersion\":\"2026-1\",\"historySalt\"")]
    [InlineData("the node-local new events", "\"historySalt\"", "\"newEvents\":[],\"historySalt\"")]
    [InlineData("the node-local decisions", "\"historySalt\"", "\"peerDecisions\":[],\"historySalt\"")]
    [InlineData("the node-local erasure", "\"historySalt\"", "\"erasedAt\":\"2026-01-01T00:00:00+00:00\",\"historySalt\"")]
    [InlineData("a computed property", "\"historySalt\"", "\"escalationLevel\":0,\"historySalt\"")]
    [InlineData("a computed property of the change", "\"state\"", "\"lastSequence\":1,\"state\"")]
    public void A_field_of_the_domain_that_no_release_writes_is_refused_as_the_protocol_says(string what, string find, string replace)
    {
        var valid = Encoding(Golden("change-filing.cose"));
        var payload = System.Text.Encoding.UTF8.GetBytes(ReplaceFirst(valid, find, replace));
        Assert.True(Outcome(() => JsonSerializer.Serialize(JsonSerializer.Deserialize<ExchangeMessage>(payload, ExchangeJson.Options), ExchangeJson.Options)).StartsWith("read ", StringComparison.Ordinal), what);
        Assert.Throws<JsonException>(() => ExchangeJson.Read(payload));
    }

    [Theory]
    [InlineData("a due time without its instant", "{\"clockId\":2,\"dueAt\":\"2026-03-18T05:06:07.1234567+00:00\"}", "{\"clockId\":2}")]
    [InlineData("a null due time", "\"dueAt\":\"2026-03-18T05:06:07.1234567+00:00\"", "\"dueAt\":null")]
    [InlineData("no due times", ",\"dueTimes\":[{\"clockId\":2,\"dueAt\":\"2026-03-18T05:06:07.1234567+00:00\"}]", "")]
    [InlineData("a clock event without its description", ",\"description\":\"50% of the period has passed\"", "")]
    public void A_command_is_refused_or_read_as_the_earlier_release_did(string what, string find, string replace)
    {
        var file = find.Contains("dueAt", StringComparison.Ordinal) || find.Contains("dueTimes", StringComparison.Ordinal) ? "command-due-times.json" : "command-clock-events.json";
        var valid = Encoding(Golden(file));
        var text = ReplaceFirst(valid, find, replace);
        Assert.NotEqual(valid, text);
        AssertSameOutcome(what, text);
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

    /// <summary>The earlier release read the payload into the domain's types: both readers accept the same payloads, and refuse the others the same way (a <see cref="JsonException"/>, which the receiver answers <c>malformed</c>).</summary>
    private static void AssertSameOutcome(string what, string text)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var earlier = Outcome(() => JsonSerializer.Serialize(JsonSerializer.Deserialize<ExchangeMessage>(payload, ExchangeJson.Options), ExchangeJson.Options));
        var now = Outcome(() => JsonSerializer.Serialize(ExchangeJson.Read(payload), ExchangeJson.Options));
        Assert.True(earlier == now, $"{what}: the earlier release: {earlier}; the wire records: {now}");
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

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }

    private static string Encoding(byte[] payload) => System.Text.Encoding.UTF8.GetString(payload);

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
