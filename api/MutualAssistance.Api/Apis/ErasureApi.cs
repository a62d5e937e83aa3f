using MutualAssistance.Contracts;
using MutualAssistance.Api.Localization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Api.Audit;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>POST /api/requests/{id}/erasure</c>: a lawful order to erase one ended request's personal data on this node
/// (its data key is destroyed: summary of facts, persons concerned and every reason are gone for good; its
/// metadata, clocks and hash-chained history stay and still verify). Administrators of one of its authorities only.
/// The end of a request's retention period erases it the same way, without a call.
/// </summary>
public static class ErasureApi
{
    public const int MaxReason = 2000;

    public static RouteGroupBuilder MapErasureApi(this IEndpointRouteBuilder app)
    {
        var api = RequestRoute.On(app.MapGroup("/api/requests").WithTags("Requests")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable));
        api.MapPost("/{id:guid}/erasure", Erase).WithName("EraseRequest").WithRetryAdvice(RetryAdvice.Repeat)
            .WithSummary("Erases an ended request's personal data for a lawful order (admin)")
            .Accepts<ErasureBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ChangesPersonalData(); // the caller's X-Purpose, if given, is recorded beside the order
        return api;
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Erase(
        Guid id, ErasureBody? body, ClaimsPrincipal user, HttpContext http, IClusterClient cluster, ConsultationLog log)
    {
        var reason = body?.Reason;
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReason || reason.Any(char.IsControl))
        {
            return ProblemResults.Field("reason", FieldMessages.ErasureReason(MaxReason));
        }

        var result = await cluster.GetGrain<IAssistanceRequestGrain>(id).Erase(user.Actor());
        if (result.Outcome == ActionOutcome.Applied)
        {
            // The erasure is logged like every change, the lawful order's reference kept as its purpose.
            await log.Erased(http, id, reason);
        }

        return result.Outcome switch
        {
            ActionOutcome.Applied => TypedResults.Ok(result.Request!),
            ActionOutcome.NotFound => ProblemResults.NotFound(),
            ActionOutcome.Forbidden => ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, result.Detail),
            _ => ProblemResults.Status(StatusCodes.Status409Conflict, ProblemText.NotErasableNow, result.Detail),
        };
    }
}
