using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.ReadModel;

/// <summary>
/// What the read model keeps of one request at one version: parties, status, every clock, and when its next
/// clock event falls due (for the sweep). No personal data of the persons concerned.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.RequestProjection")]
public sealed record RequestProjection
{
    [Id(0)] public required Guid RequestId { get; init; }
    [Id(1)] public required int Version { get; init; }
    [Id(2)] public required RequestStatus Status { get; init; }
    [Id(3)] public required string RequestingAuthority { get; init; }
    [Id(4)] public required string RequestedAuthority { get; init; }
    /// <summary>The code of the basis in the instrument catalogue (field 5 was the enum of the bases before the catalogue).</summary>
    [Id(14)] public required string LegalBasis { get; init; }
    [Id(6)] public required Urgency Urgency { get; init; }
    [Id(7)] public required string Subject { get; init; }
    [Id(8)] public required DateTimeOffset FiledAt { get; init; }
    [Id(9)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(10)] public required int EscalationLevel { get; init; }
    [Id(11)] public DateTimeOffset? NextEventAt { get; init; }
    [Id(12)] public required ImmutableArray<ClockProjection> Clocks { get; init; }

    /// <summary>When the change this version carries was made (for the lag of the read model).</summary>
    [Id(13)] public required DateTimeOffset ChangedAt { get; init; }
}
