using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.ReadSide.Queries;
using MutualAssistance.Api.Audit;
using MutualAssistance.Api.Security;
using MutualAssistance.Audit;

namespace MutualAssistance.Api.Apis;

/// <summary><c>/api/reports</c>: the breach report an authority owes its partners, as JSON or CSV.</summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports").WithTags("Reports")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/breaches", Breaches).WithName("GetBreachReport")
            .WithSummary("Deadlines breached and met, per partner, legal basis and clock, over a period (JSON, or CSV on Accept: text/csv)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").Discloses();
        return api;
    }

    public static async Task<Results<Ok<BreachReport.Report>, ContentHttpResult, ValidationProblem>> Breaches(
        HttpRequest http, ClaimsPrincipal user, BreachReport report, ConsultationLog log, TimeProvider time, CancellationToken cancellationToken, DateOnly? from = null, DateOnly? to = null)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var start = from ?? new DateOnly(today.Year, 1, 1);
        var end = to ?? today;
        if (end < start)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["May not be before 'from'."] });
        }

        if (end.DayNumber - start.DayNumber > 3660)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["The period may span at most ten years."] });
        }

        var result = await report.Read(user.Authority(), start, end, cancellationToken);
        await log.Served(http.HttpContext, AuditActions.ReportBreaches, null, AuditParts.Aggregates);
        return http.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.Text(BreachReport.Csv(result), "text/csv")
            : TypedResults.Ok(result);
    }
}
