using MutualAssistance.Grains.ReadModel;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// What a request grain stores, in one write: the request, and the read-model update that this write owes
/// (the outbox). The grain applies the update after the write; one left pending by a crash is applied again
/// on the next activation, which is harmless since applying is idempotent by version.
/// </summary>
[GenerateSerializer]
[Alias("ma.AssistanceRequestState")]
public sealed class AssistanceRequestState
{
    [Id(0)] public AssistanceRequest? Request { get; set; }

    [Id(1)] public RequestProjection? Outbox { get; set; }
}
