using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Api.Requests;
using MutualAssistance.Contracts.Authorities;

namespace MutualAssistance.Api.Apis;

/// <summary><c>/api/authorities</c>: the directory of central authorities and their working calendars, as the silos hold them.</summary>
public static class AuthoritiesApi
{
    public static RouteGroupBuilder MapAuthoritiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/authorities").WithTags("Authorities")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/", List).WithName("ListAuthorities");
        api.MapGet("/{code}", Get).WithName("GetAuthority").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{code}/calendar", Calendar).WithName("GetAuthorityCalendar").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<ImmutableArray<AuthorityView>>> List(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IReferenceDataGrain>(0).GetAuthorities());

    public static async Task<Results<Ok<AuthorityView>, ProblemHttpResult>> Get(string code, IClusterClient cluster)
    {
        var authority = (await cluster.GetGrain<IReferenceDataGrain>(0).GetAuthorities()).FirstOrDefault(a => a.Code == code);
        return authority is null
            ? ProblemResults.Status(StatusCodes.Status404NotFound, "Not found", $"No authority '{code}'.")
            : TypedResults.Ok(authority);
    }

    public static async Task<Results<Ok<CalendarView>, ValidationProblem, ProblemHttpResult>> Calendar(string code, IClusterClient cluster, TimeProvider time, int? year = null)
    {
        if (year is < 1900 or > 2200)
        {
            return ProblemResults.Field("year", "A year from 1900 to 2200.");
        }

        var calendar = await cluster.GetGrain<IReferenceDataGrain>(0).GetCalendar(code, year ?? time.GetUtcNow().Year);
        return calendar is null
            ? ProblemResults.Status(StatusCodes.Status404NotFound, "Not found", $"No calendar for '{code}' in {year ?? time.GetUtcNow().Year}.")
            : TypedResults.Ok(calendar);
    }
}
