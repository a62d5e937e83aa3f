namespace MutualAssistance.Grains.Requests;

/// <summary>What a request grain stores: the request, once filed.</summary>
[GenerateSerializer]
[Alias("ma.AssistanceRequestState")]
public sealed class AssistanceRequestState
{
    [Id(0)] public AssistanceRequest? Request { get; set; }
}
