namespace MutualAssistance.Api.Localization;

/// <summary>
/// The keys of the API's own problem titles and fixed details (README, "Languages"): a problem is built with a key,
/// and <see cref="ProblemLanguage"/> puts the text in the caller's language (Accept-Language: English, Russian or
/// Chinese; English otherwise) before it is written. The texts are in ProblemText.resx, .ru.resx and .zh.resx; a test
/// fails when a key lacks a text in one of them. Problem types and field names never change with the language.
/// </summary>
public static class ProblemText
{
    // Titles.
    public const string BadRequest = nameof(BadRequest);
    public const string ValidationFailed = nameof(ValidationFailed);
    public const string Unauthorized = nameof(Unauthorized);
    public const string Forbidden = nameof(Forbidden);
    public const string NotFound = nameof(NotFound);
    public const string NotAllowedInStatus = nameof(NotAllowedInStatus);
    public const string NotErasableNow = nameof(NotErasableNow);
    public const string ConcurrentChange = nameof(ConcurrentChange);
    public const string PreconditionFailed = nameof(PreconditionFailed);
    public const string BodyTooLarge = nameof(BodyTooLarge);
    public const string IdempotencyKeyReused = nameof(IdempotencyKeyReused);
    public const string IfMatchRequired = nameof(IfMatchRequired);
    public const string VersionRequired = nameof(VersionRequired);
    public const string TooManyRequests = nameof(TooManyRequests);
    public const string AuditLogUnavailable = nameof(AuditLogUnavailable);
    public const string ServiceUnavailable = nameof(ServiceUnavailable);
    public const string NotApplied = nameof(NotApplied);
    public const string OutcomeUnknown = nameof(OutcomeUnknown);
    public const string NotServedHere = nameof(NotServedHere);

    // Fixed details.
    public const string NoSuchRequest = nameof(NoSuchRequest);
    public const string NoSuchWebhook = nameof(NoSuchWebhook);
    public const string IdempotencyKeyReusedDetail = nameof(IdempotencyKeyReusedDetail);
    public const string IfMatchRequiredDetail = nameof(IfMatchRequiredDetail);
    public const string VersionRequiredDetail = nameof(VersionRequiredDetail);
    public const string ConcurrentChangeDetail = nameof(ConcurrentChangeDetail);
    public const string AuditLogUnavailableRead = nameof(AuditLogUnavailableRead);
    public const string AuditLogUnavailableChange = nameof(AuditLogUnavailableChange);
    public const string ServiceUnavailableDetail = nameof(ServiceUnavailableDetail);
    public const string NotAppliedDetail = nameof(NotAppliedDetail);
    public const string OutcomeUnknownAction = nameof(OutcomeUnknownAction);
    public const string OutcomeUnknownFiling = nameof(OutcomeUnknownFiling);
    public const string OutcomeUnknownRepeat = nameof(OutcomeUnknownRepeat);
    public const string OutcomeUnknownReadFirst = nameof(OutcomeUnknownReadFirst);
    public const string AdminsOnlyWebhooks = nameof(AdminsOnlyWebhooks);
    public const string AuditorsNoData = nameof(AuditorsNoData);

    // Details with arguments ({0}, {1}, ...: ProblemLanguage.Format).
    public const string NotServedHereUseNode = nameof(NotServedHereUseNode);
    public const string NotServedHereUseOwn = nameof(NotServedHereUseOwn);

    /// <summary>Every key, for the test that each has a text in every language.</summary>
    public static IEnumerable<string> All =>
        typeof(ProblemText).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
}
