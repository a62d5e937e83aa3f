namespace MutualAssistance.Contracts.Requests;

/// <summary>A step in a request's lifecycle (kebab-case on the API: <c>request-information</c>, ...).</summary>
[Alias("ma.RequestAction")]
public enum RequestAction
{
    Acknowledge = 0,
    Forward = 1,
    RequestInformation = 2,
    ProvideInformation = 3,
    Accept = 4,
    Postpone = 5,
    Resume = 6,
    Extend = 7,
    PartiallyExecute = 8,
    Execute = 9,
    Refuse = 10,
    ReturnUnexecuted = 11,
    Withdraw = 12,
    Close = 13,

    /// <summary>A production order was served on the service provider (CETS 224 art. 8(6)(a)).</summary>
    ServeOrder = 14,

    /// <summary>
    /// The executing authority tells the issuing authority that a deadline cannot be met, with the reasons and a new
    /// estimate (EIO art. 12(5)-(6): "without delay"); EIO requests only, while the decision or execution clock is open.
    /// </summary>
    InformDelay = 15,
}
