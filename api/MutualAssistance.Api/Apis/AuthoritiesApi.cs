using MutualAssistance.Contracts;
using MutualAssistance.Api.Localization;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Contracts.Authorities;

namespace MutualAssistance.Api.Apis;

/// <summary><c>/api/authorities</c>: the directory of central authorities and their working calendars, as the silos hold them.</summary>
public static class AuthoritiesApi
{
    public static RouteGroupBuilder MapAuthoritiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/authorities").WithTags("Authorities")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/", List).WithName("ListAuthorities").WithSummary("The directory of central authorities");
        api.MapGet("/{code}", Get).WithName("GetAuthority").WithSummary("One central authority").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{code}/calendar", Calendar).WithName("GetAuthorityCalendar")
            .WithSummary("An authority's working calendar for a year: rest days, holidays and declared closures").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{code}/calendar/closures/{date}", DeclareClosure).WithName("DeclareClosure").WithRetryAdvice(RetryAdvice.Repeat)
            .WithSummary("Declare a day closed in the authority's state (admin of that state); open clocks move within a minute")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{code}/calendar/closures/{date}", RemoveClosure).WithName("RemoveClosure").WithRetryAdvice(RetryAdvice.Repeat)
            .WithSummary("Withdraw a declared closure (admin of that state); open clocks move back within a minute")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<ImmutableArray<AuthorityView>>> List(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IReferenceDataGrain>(0).GetAuthorities());

    public static async Task<Results<Ok<AuthorityView>, ProblemHttpResult>> Get(string code, IClusterClient cluster)
    {
        var authority = (await cluster.GetGrain<IReferenceDataGrain>(0).GetAuthorities()).FirstOrDefault(a => a.Code == code);
        return authority is null
            ? ProblemResults.Status(StatusCodes.Status404NotFound, ProblemText.NotFound, $"No authority '{code}'.")
            : TypedResults.Ok(authority);
    }

    public static async Task<Results<Ok<ClosureView>, ValidationProblem, ProblemHttpResult>> DeclareClosure(
        string code, string date, ClosureBody? body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var (calendar, day, badDate, unknown) = await Target(code, date, cluster);
        if (calendar is null)
        {
            return badDate is not null ? badDate : unknown!;
        }

        var result = string.IsNullOrWhiteSpace(body?.Region)
            ? await calendar.Declare(day, body?.Reason, user.Actor())
            : await calendar.DeclareIn(day, body.Region, body.Reason, user.Actor());
        return result.Outcome switch
        {
            ClosureOutcome.Declared or ClosureOutcome.Unchanged => TypedResults.Ok(result.Closure!),
            ClosureOutcome.Forbidden => ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, result.Detail),
            _ => TypedResults.ValidationProblem(FieldText.Errors(result.Errors), detail: result.Detail),
        };
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveClosure(string code, string date, ClaimsPrincipal user, IClusterClient cluster,
        [Description("The region of a regional closure; absent: the state-wide closure of that day.")] string? region = null)
    {
        var (calendar, day, badDate, unknown) = await Target(code, date, cluster);
        if (calendar is null)
        {
            return badDate is not null ? badDate : unknown!;
        }

        var result = string.IsNullOrWhiteSpace(region) ? await calendar.Remove(day, user.Actor()) : await calendar.RemoveIn(day, region, user.Actor());
        return result.Outcome switch
        {
            ClosureOutcome.Removed => TypedResults.NoContent(),
            ClosureOutcome.Forbidden => ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, result.Detail),
            ClosureOutcome.NotDeclared => ProblemResults.Status(StatusCodes.Status404NotFound, ProblemText.NotFound, result.Detail),
            _ => TypedResults.ValidationProblem(FieldText.Errors(result.Errors), detail: result.Detail),
        };
    }

    /// <summary>The calendar grain of the state of <paramref name="code"/> and the day, or the problem: a bad date (400), an unknown authority (404).</summary>
    private static async Task<(IStateCalendarGrain? Calendar, DateOnly Day, ValidationProblem? BadDate, ProblemHttpResult? Unknown)> Target(
        string code, string date, IClusterClient cluster)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (null, default, ProblemResults.Field("date", FieldMessages.DayFormat()), null);
        }

        var state = (await cluster.GetGrain<IReferenceDataGrain>(0).GetAuthorities()).FirstOrDefault(a => a.Code == code)?.State;
        return state is null
            ? (null, day, null, ProblemResults.Status(StatusCodes.Status404NotFound, ProblemText.NotFound, $"No authority '{code}'."))
            : (cluster.GetGrain<IStateCalendarGrain>(state), day, null, null);
    }

    public static async Task<Results<Ok<CalendarView>, ValidationProblem, ProblemHttpResult>> Calendar(
        string code, ClaimsPrincipal user, IClusterClient cluster, TimeProvider time, int? year = null)
    {
        if (year is < 1900 or > 2200)
        {
            return ProblemResults.Field("year", FieldMessages.YearRange(1900, 2200));
        }

        var calendar = await cluster.GetGrain<IReferenceDataGrain>(0).GetCalendar(code, year ?? time.GetUtcNow().Year, user.Actor());
        return calendar is null
            ? ProblemResults.Status(StatusCodes.Status404NotFound, ProblemText.NotFound, $"No calendar for '{code}' in {year ?? time.GetUtcNow().Year}.")
            : TypedResults.Ok(calendar);
    }
}
