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
