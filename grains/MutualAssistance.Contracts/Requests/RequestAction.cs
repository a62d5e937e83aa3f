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
}
