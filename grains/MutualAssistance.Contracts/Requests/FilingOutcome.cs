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

    /// <summary>The filing breaks a rule; <see cref="FilingResult.Errors"/> names the fields. Nothing changed.</summary>
    Invalid = 3,

    /// <summary>The caller's role or authority may not file this request; nothing changed.</summary>
    Forbidden = 4,
}
