using MutualAssistance.Api.Localization;
using Microsoft.AspNetCore.Mvc;
using System.ComponentModel;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Contracts;
using MutualAssistance.ReadSide.Queries;
using MutualAssistance.Api.Audit;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Audit;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>/api/deadlines</c>: the caller's authority's open clocks, built for screens that poll every few seconds: a
/// strong ETag per view that changes only when the authority's data (or the day) changes, and a 304 that reads
/// one row; or a stream of change events for screens that prefer push.
/// </summary>
public static class DeadlinesApi
{
    // The side's wire names are the Side enum's (WireNames), which the filter then parses; "any" (or none) is both.
    private static readonly string[] Sides = ["any", .. WireNames.All<Side>()];

    public static RouteGroupBuilder MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deadlines").WithTags("Deadlines")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/", GetDeadlines).WithName("GetDeadlines")
            .WithSummary("The deadline board: the open clocks of the caller's authority's requests, soonest due first")
            .Produces(StatusCodes.Status304NotModified).ReadsPersonalData();
        api.MapGet("/stream", Stream).WithName("StreamDeadlineChanges")
            .WithSummary("Server-sent events: the board's version each time it changes (then read the board again)");
        return api;
    }

    public static async Task<Results<Ok<DeadlinePage>, StatusCodeHttpResult, ValidationProblem>> GetDeadlines(
        HttpContext http, ClaimsPrincipal user, DeadlineBoard board, ConsultationLog log, TimeProvider time, IClusterClient cluster, CancellationToken cancellationToken,
        string? side = null, string? within = null, bool? overdue = null, int? minEscalationLevel = null,
        string? partner = null, string? legalBasis = null, int? limit = null, string? cursor = null,
        [Description("true: only clocks whose due time crossed a provisional or missing calendar year (it may move when the official schedule is loaded); false: only the others.")] bool? provisionalCalendar = null,
        [FromHeader(Name = "If-None-Match"), Description("The ETag of the page the caller holds: 304 while the board is unchanged.")] string? ifNoneMatch = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (side is not null && !Sides.Contains(side))
        {
            errors["side"] = FieldText.Words(FieldMessages.OneOf(Sides));
        }

        TimeSpan? withinSpan = null;
        if (within is not null)
        {
            try
            {
                withinSpan = XmlConvert.ToTimeSpan(within);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                withinSpan = null;
            }

            if (withinSpan is not { } span || span < TimeSpan.Zero || span > TimeSpan.FromDays(3660))
            {
                errors["within"] = FieldText.Words(FieldMessages.Duration());
            }
        }

        if (minEscalationLevel is < 0 or > 10)
        {
            errors["minEscalationLevel"] = FieldText.Words(FieldMessages.Range(0, 10));
        }

        if (await LegalBasisFilter.Problem(legalBasis, cluster) is { } basisProblem)
        {
            errors["legalBasis"] = FieldText.Words(basisProblem);
        }

        if (PartnerFilter.Problem(partner) is { } partnerProblem)
        {
            errors["partner"] = FieldText.Words(partnerProblem);
        }

        if (limit is < 1 or > 500)
        {
            errors["limit"] = FieldText.Words(FieldMessages.Range(1, 500));
        }

        if (!DeadlineCursor.TryParse(cursor, out var after))
        {
            errors["cursor"] = FieldText.Words(FieldMessages.NotACursor());
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var authority = user.Authority();
        http.Response.Headers.CacheControl = "no-cache";
        var version = await board.VersionOf(authority, cancellationToken);
        var etag = ETag(authority, version, time.GetUtcNow(), http.Request.QueryString.Value);
        http.Response.Headers.ETag = etag;
        if (EntityTags.Names(ifNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        Side? onSide = WireNames.TryParse<Side>(side, out var parsed) ? parsed : null; // "any" (or none): both
        var filter = new DeadlineBoard.Filter(authority, onSide, withinSpan, overdue, minEscalationLevel ?? 0, partner, legalBasis, limit ?? 200, after, provisionalCalendar);
        var page = await board.Read(filter, cancellationToken);
        await log.ServedEach(http, AuditActions.DeadlinesBoard, page.Items.Select(i => i.RequestId), AuditParts.Summary);
        return TypedResults.Ok(page);
    }

    /// <summary>Server-sent events: <c>changed</c> with the authority's data version, now and at every change.</summary>
    public static ServerSentEventsResult<long> Stream(ClaimsPrincipal user, AuthorityChanges changes, DeadlineBoard board, CancellationToken cancellationToken)
    {
        var authority = user.Authority();
        async IAsyncEnumerable<long> Versions([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
        {
            // Subscribed before the current version is read (starting the watch registers it), so that a change
            // committed between that read and the first wait is not missed; a version already sent is not sent again.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var watch = changes.Watch(authority, stop.Token).GetAsyncEnumerator(stop.Token);
            var next = watch.MoveNextAsync().AsTask();
            try
            {
                var sent = await board.VersionOf(authority, cancel);
                yield return sent;
                while (await next)
                {
                    if (watch.Current > sent)
                    {
                        sent = watch.Current;
                        yield return sent;
                    }

                    next = watch.MoveNextAsync().AsTask();
                }
            }
            finally
            {
                // Ended by the caller at a yield: stop the pending wait before the watch is disposed (it unsubscribes).
                await stop.CancelAsync();
                await next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                await watch.DisposeAsync();
            }
        }

        return TypedResults.ServerSentEvents(Versions(cancellationToken), eventType: "changed");
    }

    /// <summary>Changes with the authority's data version, with the day (working days remaining change at midnight), and with the view's query.</summary>
    private static string ETag(string authority, long version, DateTimeOffset now, string? query)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{authority}|{now:yyyyMMdd}|{query}")))[..16];
        return $"\"{version}-{digest}\"";
    }
}
