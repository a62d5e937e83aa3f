namespace MutualAssistance.Contracts.Requests;

/// <summary>What happened when a request was filed under an id.</summary>
[Alias("ma.FilingOutcome")]
public enum FilingOutcome
{
    /// <summary>The request is new and now stored.</summary>
    Created = 0,

    /// <summary>The same request was filed under this id before; nothing changed (an idempotent retry).</summary>
    AlreadyFiled = 1,

    /// <summary>Another request was filed under this id; nothing changed.</summary>
    IdTakenByAnotherRequest = 2,
}
