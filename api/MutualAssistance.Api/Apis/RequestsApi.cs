using MutualAssistance.Api.Localization;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MutualAssistance.Contracts;
using MutualAssistance.ReadSide.Queries;
using MutualAssistance.Sealing;
using MutualAssistance.Api.Audit;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Audit;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>/api/requests</c>: file, read, act on a request and read its history. Writes and single reads go to the
/// request's grain; the list comes from the read model. A caller sees only requests of its own authority.
/// </summary>
public static class RequestsApi
{
    public const int MaxIdempotencyKey = 200;

    /// <summary>The longest name <c>?person=</c> searches for.</summary>
    public const int MaxPersonQuery = 200;

    /// <summary>What 503 and 504 say about a write's outcome, for the OpenAPI document (README, "Failures and retries").</summary>
    private const string OutcomeDescription =
        "When the cluster fails the call, 503 or 504 (timeout) with Retry-After and a problem type saying what is known: `"
        + ClusterUnavailableHandler.NotApplied + "` (the call reached no grain; nothing was changed; retry), or `"
        + ClusterUnavailableHandler.OutcomeUnknown + "` (it may have been applied: read the request again, its version and "
        + "history show whether it landed, or retry with the same Idempotency-Key or If-Match, which is always safe).";

    public static RouteGroupBuilder MapRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = RequestRoute.On(app.MapGroup("/api/requests").WithTags("Requests")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout));
        api.MapPost("/", FileRequest).WithName("FileRequest").WithRetryAdvice(RetryAdvice.SameIdempotencyKey)
            .WithSummary("File a request (or register one received on paper)")
            .WithDescription("Files a request. Send an Idempotency-Key: a retry with the same key names the same request and files it once. "
                + OutcomeDescription)
            .Accepts<FileRequestBody>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ChangesPersonalData();
        api.MapGet("/", ListRequests).WithName("ListRequests")
            .WithSummary("List the requests of the caller's authority, newest first, with filters and a person search")
            .ReadsPersonalData();
        api.MapGet("/{id:guid}", GetRequest).WithName("GetRequest")
            .WithSummary("Read a request: its facts, persons concerned, clocks and the actions the caller may take")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ReadsPersonalData();
        api.MapPost("/{id:guid}/actions/{action}", Act).WithName("ActOnRequest").WithRetryAdvice(RetryAdvice.SameIfMatch)
            .WithSummary("Take an action on a request (acknowledge, accept, refuse, extend...) on the version in If-Match")
            .WithDescription("Takes an action on the version named in If-Match (required; `*` is refused with 428): a retry with the "
                + "same If-Match applies it at most once (412 if it already landed). " + OutcomeDescription)
            .Accepts<ActionBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ChangesPersonalData();
        api.MapGet("/{id:guid}/history", GetHistory).WithName("GetRequestHistory")
            .WithSummary("Read a request's history, a page at a time")
            .WithDescription($"The history, oldest first, {HistoryPage.DefaultLimit} entries a page unless `limit` says otherwise (at most "
                + $"{HistoryPage.MaxLimit}); `next` is the `cursor` of the following page, null on the last.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ReadsPersonalData();
        api.MapGet("/{id:guid}/history/verification", VerifyHistory).WithName("VerifyRequestHistory")
            .WithSummary("Verify a request's hash-chained history")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Created<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> FileRequest(
        HttpRequest http, ClaimsPrincipal user, IClusterClient cluster, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time,
        ConsultationLog log,
        [FromHeader(Name = "Idempotency-Key"), Description("A key of the caller's choosing (1-200 characters): a retry with the same key files the same request once.")] string? idempotencyKey)
    {
        if (idempotencyKey is { Length: > MaxIdempotencyKey } || (idempotencyKey is not null && string.IsNullOrWhiteSpace(idempotencyKey)))
        {
            return ProblemResults.Field("Idempotency-Key", FieldMessages.CharactersRange(MaxIdempotencyKey));
        }

        var (body, malformed) = await ReadBody<FileRequestBody>(http, json.Value.SerializerOptions);
        if (malformed is not null)
        {
            return malformed;
        }

        if (body is null)
        {
            return ProblemResults.Field("body", FieldMessages.JsonObjectRequired());
        }

        var actor = user.Actor();
        var id = RequestIds.For(actor.Authority, idempotencyKey, time.GetUtcNow());
        var result = await cluster.GetGrain<IAssistanceRequestGrain>(id).File(body.ToCommand(), actor);
        switch (result.Outcome)
        {
            case FilingOutcome.Invalid:
                return TypedResults.ValidationProblem(FieldText.Errors(result.Errors), detail: result.Detail);
            case FilingOutcome.Forbidden:
                return ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, result.Detail);
            case FilingOutcome.IdTakenByAnotherRequest:
                return ProblemResults.Status(StatusCodes.Status422UnprocessableEntity, ProblemText.IdempotencyKeyReused,
                    ProblemText.IdempotencyKeyReusedDetail);
            default:
                ChangedHere(http.HttpContext, result.Request!);
                await log.Served(http.HttpContext, AuditActions.RequestFiled, id, AuditParts.Request,
                    result.Outcome == FilingOutcome.Created ? AuditOutcomes.Applied : AuditOutcomes.Served);
                http.HttpContext.Response.Headers.ETag = EntityTags.Of(result.Request!.Version);
                return TypedResults.Created($"/api/requests/{id}", result.Request);
        }
    }

    public static async Task<Results<Ok<AssistanceRequestView>, StatusCodeHttpResult, ProblemHttpResult>> GetRequest(
        Guid id, ClaimsPrincipal user, HttpContext http, IClusterClient cluster, ConsultationLog log,
        [FromHeader(Name = "If-None-Match"), Description("The ETag of the copy the caller holds: 304 while it is current.")] string? ifNoneMatch = null)
    {
        var request = await cluster.GetGrain<IAssistanceRequestGrain>(id).Get(user.Actor());
        if (request is null)
        {
            return ProblemResults.NotFound();
        }

        if (EntityTags.Matches(ifNoneMatch, request.Version))
        {
            // Only that the caller's copy is current: no personal data is served, nothing to log.
            http.Response.Headers.ETag = EntityTags.Of(request.Version);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        await log.Served(http, AuditActions.RequestRead, id, AuditParts.Request);
        http.Response.Headers.ETag = EntityTags.Of(request.Version);
        return TypedResults.Ok(request);
    }

    public static async Task<Results<Ok<AssistanceRequestView>, Accepted<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Act(
        Guid id, string action, HttpRequest http, ClaimsPrincipal user, IClusterClient cluster, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ConsultationLog log,
        [FromHeader(Name = "If-Match"), Description("Required: the ETag of the version the action is taken on, as given (e.g. \"3\"); `*` is refused.")] string? ifMatch = null)
    {
        if (!Names.TryParseAction(action, out var parsed))
        {
            return ProblemResults.Field("action", FieldMessages.UnknownAction(action, Names.AllActions));
        }

        if (string.IsNullOrEmpty(ifMatch))
        {
            return ProblemResults.Status(StatusCodes.Status428PreconditionRequired, ProblemText.IfMatchRequired,
                ProblemText.IfMatchRequiredDetail);
        }

        if (!EntityTags.TryReadIfMatch(ifMatch, out var expectedVersion))
        {
            return ProblemResults.Field("If-Match", FieldMessages.StrongEntityTag());
        }

        if (expectedVersion is null)
        {
            // "*" would act on whatever version is current: a retry after an unknown outcome could apply the action twice.
            return ProblemResults.Status(StatusCodes.Status428PreconditionRequired, ProblemText.VersionRequired,
                ProblemText.VersionRequiredDetail);
        }

        var (body, malformed) = await ReadBody<ActionBody>(http, json.Value.SerializerOptions);
        if (malformed is not null)
        {
            return malformed;
        }

        var result = await cluster.GetGrain<IAssistanceRequestGrain>(id).Act((body ?? new ActionBody()).ToCommand(parsed, expectedVersion), user.Actor());
        switch (result.Outcome)
        {
            case ActionOutcome.Applied:
                ChangedHere(http.HttpContext, result.Request!);
                await log.Served(http.HttpContext, AuditActions.RequestActed, id, AuditParts.Request, AuditOutcomes.Applied);
                http.HttpContext.Response.Headers.ETag = EntityTags.Of(result.Request!.Version);
                return TypedResults.Ok(result.Request);
            case ActionOutcome.Pending:
                // Stored here and sent to the node that orders the request; the request's `exchange` shows it waiting.
                await log.Served(http.HttpContext, AuditActions.RequestActed, id, AuditParts.Request, AuditOutcomes.Pending);
                http.HttpContext.Response.Headers.ETag = EntityTags.Of(result.Request!.Version);
                return TypedResults.Accepted($"/api/requests/{id}", result.Request);
            case ActionOutcome.NotFound:
                return ProblemResults.NotFound();
            case ActionOutcome.Forbidden:
                return ProblemResults.Status(StatusCodes.Status403Forbidden, ProblemText.Forbidden, result.Detail);
            case ActionOutcome.NotAllowedInStatus:
                return ProblemResults.NotAllowed(result);
            case ActionOutcome.VersionMismatch:
                return ProblemResults.Status(StatusCodes.Status412PreconditionFailed, ProblemText.PreconditionFailed, result.Detail);
            default:
                return TypedResults.ValidationProblem(FieldText.Errors(result.Errors), detail: result.Detail);
        }
    }

    public static async Task<Results<Ok<HistoryPageBody>, ValidationProblem, ProblemHttpResult>> GetHistory(
        Guid id, ClaimsPrincipal user, HttpContext http, IClusterClient cluster, ConsultationLog log, int? limit = null, string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > HistoryPage.MaxLimit)
        {
            errors["limit"] = FieldText.Words(FieldMessages.Range(1, HistoryPage.MaxLimit));
        }

        if (!HistoryCursor.TryParse(cursor, out var after))
        {
            errors["cursor"] = FieldText.Words(FieldMessages.NotACursor());
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var grain = cluster.GetGrain<IAssistanceRequestGrain>(id);
        if (await grain.Get(user.Actor()) is null)
        {
            return ProblemResults.NotFound();
        }

        var page = await grain.GetHistory(after, limit ?? HistoryPage.DefaultLimit);
        await log.Served(http, AuditActions.RequestHistory, id, AuditParts.History);
        return TypedResults.Ok(new HistoryPageBody(page.Items, page.Next is { } next ? HistoryCursor.Of(next) : null));
    }

    public static async Task<Results<Ok<HistoryVerification>, ProblemHttpResult>> VerifyHistory(Guid id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IAssistanceRequestGrain>(id);
        return await grain.Get(user.Actor()) is null ? ProblemResults.NotFound() : TypedResults.Ok(await grain.VerifyHistory());
    }

    public static async Task<Results<Ok<RequestPage>, ValidationProblem>> ListRequests(
        ClaimsPrincipal user, HttpContext http, RequestList list, PersonIndex personIndex, ConsultationLog log, IClusterClient cluster, CancellationToken cancellationToken,
        string? status = null, string? partner = null, string? legalBasis = null, bool? overdue = null, int? limit = null, string? cursor = null,
        string? person = null)
    {
        var errors = new Dictionary<string, string[]>();
        var personWords = person is null ? [] : PersonNames.Words(person);
        if (person is not null && (person.Length > MaxPersonQuery || personWords.IsEmpty))
        {
            errors["person"] = FieldText.Words(FieldMessages.PersonQuery(MaxPersonQuery));
        }

        if (status is not null && !WireNames.TryParse<RequestStatus>(status, out _))
        {
            errors["status"] = FieldText.Words(FieldMessages.UnknownStatus(status));
        }

        if (await LegalBasisFilter.Problem(legalBasis, cluster) is { } basisProblem)
        {
            errors["legalBasis"] = FieldText.Words(basisProblem);
        }

        if (PartnerFilter.Problem(partner) is { } partnerProblem)
        {
            errors["partner"] = FieldText.Words(partnerProblem);
        }

        if (limit is < 1 or > 200)
        {
            errors["limit"] = FieldText.Words(FieldMessages.Range(1, 200));
        }

        if (!PageCursor.TryParse(cursor, out var after))
        {
            errors["cursor"] = FieldText.Words(FieldMessages.NotACursor());
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tokens = person is null ? (ImmutableArray<byte[]>?)null : [.. personWords.Select(personIndex.Token)];
        var page = await list.Read(new RequestList.Filter(user.Authority(), status, partner, legalBasis, overdue, limit ?? 50, after, tokens), cancellationToken);
        // One entry per request on the page (in one batch): the log is asked by request, and each says who saw it. A
        // person search's hits are logged as such: they say the request concerns the person searched for.
        await log.ServedEach(http, person is null ? AuditActions.RequestList : AuditActions.RequestSearchHit, page.Items.Select(i => i.Id), AuditParts.Summary);
        return TypedResults.Ok(page);
    }

    /// <summary>
    /// The parties' boards changed (the read model did, in the change's transaction): this API raises their versions at
    /// once, so a caller never gets 304 for a board it has just changed.
    /// </summary>
    private static void ChangedHere(HttpContext http, AssistanceRequestView request)
    {
        var changes = http.RequestServices.GetRequiredService<AuthorityChanges>();
        changes.ChangedHere(request.RequestingAuthority);
        changes.ChangedHere(request.RequestedAuthority);
    }

    /// <summary>Reads an optional JSON body; malformed JSON, wrong types and unknown values become a problem naming the field.</summary>
    private static async Task<(T? Body, ValidationProblem? Problem)> ReadBody<T>(HttpRequest http, JsonSerializerOptions options) where T : class
    {
        if (http.ContentLength == 0 || (http.ContentLength is null && http.Headers.TransferEncoding.Count == 0))
        {
            return (null, null);
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(http.Body, options, http.HttpContext.RequestAborted), null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, ProblemResults.Field(field, FieldMessages.Malformed()));
        }
    }
}
