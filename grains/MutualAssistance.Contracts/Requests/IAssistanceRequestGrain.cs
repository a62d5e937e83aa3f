namespace MutualAssistance.Contracts.Requests;

/// <summary>One mutual legal assistance request: the only writer of its state.</summary>
[Alias("ma.IAssistanceRequestGrain")]
public interface IAssistanceRequestGrain : IGrainWithGuidKey
{
    /// <summary>Files the request under this grain's id. Filing the same request again changes nothing.</summary>
    [Alias("File")]
    Task<FilingResult> File(FileRequest request, Actor actor);

    /// <summary>The request, or null when nothing was filed under this id.</summary>
    [Alias("Get")]
    Task<AssistanceRequestView?> Get();
}
