using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Federation.Wire;

/// <summary>
/// <c>ma-exchange/1</c>: a change's <c>state</c>, the shared request after the change's last event. The node's own
/// facts about the request (its new events, the version of its reference data, its erasure, the decisions it keeps
/// per command) have no field here, so they never leave it; the domain gets them back at their defaults.
/// </summary>
public sealed record WireRequest
{
    [JsonPropertyName("id")] public required Guid Id { get; init; }
    [JsonPropertyName("version")] public required int Version { get; init; }
    [JsonPropertyName("status")] public required RequestStatus Status { get; init; }
    [JsonPropertyName("filed")] public required WireFiling Filed { get; init; }
    [JsonPropertyName("filingFingerprint")] public required string FilingFingerprint { get; init; }
    [JsonPropertyName("receivedAt")] public required DateTimeOffset ReceivedAt { get; init; }
    [JsonPropertyName("filedAt")] public required DateTimeOffset FiledAt { get; init; }
    [JsonPropertyName("filedBy")] public required WireActor FiledBy { get; init; }
    [JsonPropertyName("requestedReference")] public string? RequestedReference { get; init; }
    [JsonPropertyName("forwardedTo")] public string? ForwardedTo { get; init; }
    [JsonPropertyName("priorStatus")] public RequestStatus? PriorStatus { get; init; }
    [JsonPropertyName("clocks")] public ImmutableArray<WireClock> Clocks { get; init; } = [];
    [JsonPropertyName("servedOn")] public string? ServedOn { get; init; }
    [JsonPropertyName("servedAt")] public DateTimeOffset? ServedAt { get; init; }
    [JsonPropertyName("head")] public WireChainHead Head { get; init; } = WireChainHead.ToWire(ChainHead.Genesis);
    [JsonPropertyName("lastEventAt")] public DateTimeOffset LastEventAt { get; init; }
    [JsonPropertyName("historySalt")] public string? HistorySalt { get; init; }
    [JsonPropertyName("lastPeerCommand")] public WireDecision? LastPeerCommand { get; init; }

    public static WireRequest ToWire(AssistanceRequest request) => new()
    {
        Id = request.Id,
        Version = request.Version,
        Status = request.Status,
        Filed = request.Filed is { } filed ? WireFiling.ToWire(filed) : null!,
        FilingFingerprint = request.FilingFingerprint,
        ReceivedAt = request.ReceivedAt,
        FiledAt = request.FiledAt,
        FiledBy = request.FiledBy is { } filedBy ? WireActor.ToWire(filedBy) : null!,
        RequestedReference = request.RequestedReference,
        ForwardedTo = request.ForwardedTo,
        PriorStatus = request.PriorStatus,
        Clocks = WireArrays.Map(request.Clocks, WireClock.ToWire),
        ServedOn = request.ServedOn,
        ServedAt = request.ServedAt,
        Head = request.Head is { } head ? WireChainHead.ToWire(head) : null!,
        LastEventAt = request.LastEventAt,
        HistorySalt = request.HistorySalt,
        LastPeerCommand = request.LastPeerCommand is { } decision ? WireDecision.ToWire(decision) : null,
    };

    public AssistanceRequest ToDomain() => new()
    {
        Id = Id,
        Version = Version,
        Status = Status,
        Filed = Filed?.ToDomain()!,
        FilingFingerprint = FilingFingerprint,
        ReceivedAt = ReceivedAt,
        FiledAt = FiledAt,
        FiledBy = FiledBy?.ToDomain()!,
        RequestedReference = RequestedReference,
        ForwardedTo = ForwardedTo,
        PriorStatus = PriorStatus,
        Clocks = WireArrays.Map(Clocks, c => c.ToDomain()),
        ServedOn = ServedOn,
        ServedAt = ServedAt,
        Head = Head?.ToDomain()!,
        LastEventAt = LastEventAt,
        HistorySalt = HistorySalt,
        LastPeerCommand = LastPeerCommand?.ToDomain(),
    };
}
