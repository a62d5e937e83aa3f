using System.Text.Json.Serialization;

namespace MutualAssistance.Federation.Wire;

/// <summary>
/// The payload of every envelope of <c>ma-exchange/1</c> (PROTOCOL.md, "Messages"), as it is on the wire. The wire
/// records are the protocol's own: each JSON name is written out (<see cref="JsonPropertyNameAttribute"/>), so that
/// renaming or adding a property of the domain changes nothing between nodes; what travels is what these records
/// list, and nothing else (they are the allow-list). The JSON order is the declaration order, and the bytes are those
/// the release before these records wrote (the golden envelopes hold that). A field added here is a change of the
/// protocol: PROTOCOL.md, the golden envelopes and the field list of the tests change with it.
/// </summary>
public sealed record WireMessage
{
    /// <summary>The version this record is; a node refuses a message of another (<c>malformed</c>).</summary>
    public const string Version = "ma-exchange/1";

    [JsonPropertyName("protocol")] public required string Protocol { get; init; }
    [JsonPropertyName("kind")] public required MessageKind Kind { get; init; }
    [JsonPropertyName("sender")] public required string Sender { get; init; }
    [JsonPropertyName("recipient")] public required string Recipient { get; init; }
    [JsonPropertyName("requestId")] public required Guid RequestId { get; init; }
    [JsonPropertyName("sentAt")] public required DateTimeOffset SentAt { get; init; }
    [JsonPropertyName("sequence")] public required int Sequence { get; init; }
    [JsonPropertyName("change")] public WireChange? Change { get; init; }
    [JsonPropertyName("command")] public WireCommand? Command { get; init; }
    [JsonPropertyName("decision")] public WireDecision? Decision { get; init; }
    [JsonPropertyName("receipt")] public WireReceipt? Receipt { get; init; }

    public static WireMessage ToWire(ExchangeMessage message) => new()
    {
        Protocol = message.Protocol,
        Kind = message.Kind,
        Sender = message.Sender,
        Recipient = message.Recipient,
        RequestId = message.RequestId,
        SentAt = message.SentAt,
        Sequence = message.Sequence,
        Change = message.Change is { } change ? WireChange.ToWire(change) : null,
        Command = message.Command is { } command ? WireCommand.ToWire(command) : null,
        Decision = message.Decision is { } decision ? WireDecision.ToWire(decision) : null,
        Receipt = message.Receipt is { } receipt ? WireReceipt.ToWire(receipt) : null,
    };

    public ExchangeMessage ToDomain() => new()
    {
        Protocol = Protocol,
        Kind = Kind,
        Sender = Sender,
        Recipient = Recipient,
        RequestId = RequestId,
        SentAt = SentAt,
        Sequence = Sequence,
        Change = Change?.ToDomain(),
        Command = Command?.ToDomain(),
        Decision = Decision?.ToDomain(),
        Receipt = Receipt?.ToDomain(),
    };
}
