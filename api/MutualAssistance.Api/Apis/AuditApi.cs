using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using MutualAssistance.Api.Audit;
using MutualAssistance.Api.Localization;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Audit;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>/api/audit</c>, for the role <c>auditor</c> only (others 403): the node's consultation and disclosure log as
/// the caller's authority may see it (its own callers' entries, and every entry about a request it is a party to),
/// as JSON or CSV; and whether the node's chain holds.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").WithTags("Audit")
            .AddEndpointFilter(AuditorsOnly)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/log", GetLog).WithName("GetAuditLog")
            .WithSummary("The consultation log's entries about the auditor's authority (JSON, or CSV on Accept: text/csv)")
            .WithDescription($"Entries oldest first, {AuditLog.DefaultLimit} a page unless `limit` says otherwise (at most {AuditLog.MaxLimit}); "
                + "`from` (inclusive) and `to` (exclusive) are ISO 8601 dates or instants; `next` is the `cursor` of the following page. "
                + "`Accept: text/csv` gives CSV, the next page in a `Link` header.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        api.MapGet("/verification", Verify).WithName("VerifyAuditLog").WithSummary("Verify the node's hash-chained consultation log");
        return api;
    }

    public static async Task<Results<Ok<AuditLogPage>, ContentHttpResult, ValidationProblem>> GetLog([AsParameters] AuditLogQuery query)
    {
        if (!query.TryFilter(out var filter, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await query.Log.Read(filter, query.Cancel);
        if (!query.Http.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Ok(page);
        }

        if (page.NextCursor is { } next)
        {
            var values = query.Http.Query.Where(q => q.Key != "cursor").ToDictionary(q => q.Key, q => q.Value);
            values["cursor"] = next;
            query.Http.HttpContext.Response.Headers.Link = $"<{QueryHelpers.AddQueryString((query.Http.PathBase + query.Http.Path).ToString(), values)}>; rel=\"next\"";
        }

        return TypedResults.Text(AuditLog.Csv(page), "text/csv");
    }

    public static async Task<Ok<AuditVerification>> Verify(AuditLog log, CancellationToken cancellationToken) =>
        TypedResults.Ok(await log.Verify(cancellationToken));

    private static async ValueTask<object?> AuditorsOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.Actor().Role == Role.Auditor
            ? await next(context)
            : ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, "The consultation log is served to the role 'auditor' only.");
}
