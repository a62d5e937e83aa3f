using MutualAssistance.Api.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>RFC 9457 problem details for the ways a request call can fail.</summary>
public static class ProblemResults
{
    public static ProblemHttpResult Status(int status, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A problem with one field, its message worded in the request's language.</summary>
    public static ValidationProblem Field(string field, FieldMessage message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = FieldText.Words(message) });

    public static ProblemHttpResult NotFound() => Status(StatusCodes.Status404NotFound, ProblemText.NotFound, ProblemText.NoSuchRequest);

    /// <summary>Problem type (RFC 9457 <c>type</c>) of a call refused because the consultation log could not be written.</summary>
    public const string AuditLogUnavailableType = "tag:mutual-assistance,2026:problems/audit-log-unavailable";

    /// <summary>503: the consultation log could not record the access, so nothing of it is served.</summary>
    public static ProblemHttpResult AuditLogUnavailable(bool read) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        type: AuditLogUnavailableType,
        title: ProblemText.AuditLogUnavailable,
        detail: read ? ProblemText.AuditLogUnavailableRead : ProblemText.AuditLogUnavailableChange);

    public static ProblemHttpResult NotAllowed(ActionResult result) => Status(
        StatusCodes.Status409Conflict,
        ProblemText.NotAllowedInStatus,
        result.Detail,
        new Dictionary<string, object?>
        {
            ["requestStatus"] = result.Request is null ? null : WireNames.Of(result.Request.Status),
            ["allowedActions"] = result.Request?.AllowedActions.Select(WireNames.Of).ToArray() ?? [],
        });
}
