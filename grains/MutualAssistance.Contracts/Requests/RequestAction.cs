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

    /// <summary>
    /// The requesting side asks the requested side on the progress of its handling of the request (UNTOC art. 18(24);
    /// UNCAC art. 46(24)), which starts the requested side's <c>progress</c> clock; under bases whose instrument has
    /// that duty (the catalogue's <c>answer-progress-requests</c>), one open ask at a time.
    /// </summary>
    AskProgress = 16,

    /// <summary>The requested side answers an ask on progress, with a required note (the answer); meets the <c>progress</c> clock.</summary>
    ReportProgress = 17,

    /// <summary>
    /// The requested side records its consultation of the requesting side, with a required note (what was proposed);
    /// under bases whose instrument has the duty (<c>consult-before-refusal</c>: UNTOC art. 18(26), UNCAC art. 46(26)),
    /// refuse and postpone are allowed only after one.
    /// </summary>
    Consult = 18,
}
