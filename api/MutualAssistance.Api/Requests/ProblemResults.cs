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

    public static ProblemHttpResult NotFound() => Status(StatusCodes.Status404NotFound, "Not found", "No such request for your authority.");

    /// <summary>Problem type (RFC 9457 <c>type</c>) of a call refused because the consultation log could not be written.</summary>
    public const string AuditLogUnavailableType = "tag:mutual-assistance,2026:problems/audit-log-unavailable";

    /// <summary>503: the consultation log could not record the access, so nothing of it is served.</summary>
    public static ProblemHttpResult AuditLogUnavailable(bool read) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        type: AuditLogUnavailableType,
        title: "Consultation log unavailable",
        detail: read
            ? "Personal data is served only once its consultation is logged, and the log cannot be written right now: nothing was served. Retry after the given delay."
            : "The change was made (it is in the request's history) but the request is not shown: its disclosure cannot be logged right now. "
              + "Read the request again after the given delay; a retry with the same Idempotency-Key or If-Match is safe.");

    public static ProblemHttpResult NotAllowed(ActionResult result) => Status(
        StatusCodes.Status409Conflict,
        "Action not allowed in this status",
        result.Detail,
        new Dictionary<string, object?>
        {
            ["requestStatus"] = result.Request is null ? null : WireNames.Of(result.Request.Status),
            ["allowedActions"] = result.Request?.AllowedActions.Select(WireNames.Of).ToArray() ?? [],
        });
}
