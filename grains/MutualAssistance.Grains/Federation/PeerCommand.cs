using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Grains.Federation;

/// <summary>
/// An action taken on the following node, sent to the ordering node to be decided there. Numbered per request from
/// 1; the ordering node decides each number once (<see cref="Requests.AssistanceRequest.DecidePeerCommand"/>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.PeerCommand")]
public sealed record PeerCommand
{
    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public required ActionCommand Action { get; init; }
    [Id(2)] public required Actor Actor { get; init; }

    /// <summary>The last event the following node had when the action was taken.</summary>
    [Id(3)] public required int BasedOn { get; init; }
    [Id(4)] public required DateTimeOffset IssuedAt { get; init; }
}
