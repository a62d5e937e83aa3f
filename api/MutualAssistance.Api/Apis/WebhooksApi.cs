using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Api.Localization;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Contracts.Notifications;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Contracts;
using MutualAssistance.Notifications;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>/api/webhooks</c>: an authority's admin subscribes its webhooks, lists and removes them, and sees what was
/// delivered to each (README, "Notifications"). Every call is about the caller's own authority.
/// </summary>
public static class WebhooksApi
{
    public const int MaxEvents = 10;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhooks").WithTags("Webhooks")
            .AddEndpointFilter(AdminsOnly)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/", Subscribe).WithName("SubscribeWebhook").WithRetryAdvice(RetryAdvice.ReadFirst)
            .WithSummary("Subscribe a webhook of the caller's authority (admin); the signing secret is shown once")
            .Accepts<WebhookBody>("application/json");
        api.MapGet("/", List).WithName("ListWebhooks").WithSummary("The webhooks of the caller's authority (admin)");
        api.MapDelete("/{id:guid}", Remove).WithName("RemoveWebhook").WithRetryAdvice(RetryAdvice.Repeat).WithSummary("Remove a webhook (admin); what it was sent stays visible")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("What was sent to a webhook, newest first: attempts, the last answer, delivered or when it is tried next (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Created<WebhookCreated>, ValidationProblem>> Subscribe(
        WebhookBody? body, ClaimsPrincipal user, WebhookSubscriptions subscriptions, WebhookTarget target, CancellationToken cancellationToken)
    {
        var (url, problem) = await target.CheckAsync(body?.Url, cancellationToken);
        if (url is null)
        {
            return ProblemResults.Field("url", problem!);
        }

        var events = body!.Events ?? [];
        if (events.Count > MaxEvents || events.Any(e => !NotificationTypes.All.Contains(e, StringComparer.Ordinal)))
        {
            return ProblemResults.Field("events", FieldMessages.EventTypes(NotificationTypes.All));
        }

        var actor = user.Actor();
        var (subscription, secret) = await subscriptions.Create(actor.Authority, url, [.. events.Distinct(StringComparer.Ordinal)], actor.Subject, cancellationToken);
        return TypedResults.Created($"/api/webhooks/{subscription.Id}", new WebhookCreated(subscription, secret));
    }

    public static async Task<Ok<ImmutableArray<WebhookSubscription>>> List(ClaimsPrincipal user, WebhookSubscriptions subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.List(user.Authority(), cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(Guid id, ClaimsPrincipal user, WebhookSubscriptions subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.Remove(user.Authority(), id, cancellationToken)
            ? TypedResults.NoContent()
            : ProblemResults.Status(StatusCodes.Status404NotFound, ProblemText.NotFound, ProblemText.NoSuchWebhook);

    public static async Task<Results<Ok<ImmutableArray<WebhookDelivery>>, ValidationProblem, ProblemHttpResult>> Deliveries(
        Guid id, ClaimsPrincipal user, WebhookSubscriptions subscriptions, CancellationToken cancellationToken, int? limit = null)
    {
        if (limit is < 1 or > WebhookSubscriptions.MaxDeliveries)
        {
            return ProblemResults.Field("limit", FieldMessages.Range(1, WebhookSubscriptions.MaxDeliveries));
        }

        return await subscriptions.Deliveries(user.Authority(), id, limit ?? 100, cancellationToken) is { } deliveries
            ? TypedResults.Ok(deliveries)
            : ProblemResults.Status(StatusCodes.Status404NotFound, ProblemText.NotFound, ProblemText.NoSuchWebhook);
    }

    private static async ValueTask<object?> AdminsOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.Actor().Role == Role.Admin
            ? await next(context)
            : ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, ProblemText.AdminsOnlyWebhooks);
}
