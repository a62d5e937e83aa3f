using System.Security.Claims;
using MutualAssistance.Api.Requests;
using MutualAssistance.Api.Security;
using MutualAssistance.Contracts;
using MutualAssistance.Audit;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// The API's side of the consultation log: entries about the caller of this HTTP call (staff id, authority, role,
/// the purpose <see cref="PersonalDataGate"/> accepted), handed to the node's <see cref="AuditLogWriter"/>. What
/// serves personal data awaits its entries' commit (<see cref="Served(HttpContext, string, Guid?, string, string)"/>,
/// throwing <see cref="AuditLogUnavailableException"/>, answered 503); log-ons and refusals do not wait. A refusal of a
/// caller nobody authenticated is counted per source (<see cref="AnonymousRefusals"/>), not logged one by one.
/// </summary>
public sealed class ConsultationLog(AuditLogWriter writer, AnonymousRefusals anonymous, TimeProvider time)
{
    /// <summary>Records that <paramref name="parts"/> of a request (or of none) were served; returns once committed.</summary>
    public Task Served(HttpContext http, string action, Guid? requestId, string parts, string outcome = AuditOutcomes.Served) =>
        writer.Record(Entry(http, http.User, action, requestId, parts, outcome), http.RequestAborted);

    /// <summary>Records an erasure for a lawful order: the order's reference is kept as its purpose, after the caller's own if given.</summary>
    public Task Erased(HttpContext http, Guid requestId, string order)
    {
        var entry = Entry(http, http.User, AuditActions.RequestErased, requestId, AuditParts.Request + ",reasons", AuditOutcomes.Applied);
        return writer.Record(entry with { Purpose = entry.Purpose is { } given ? $"{given} | order: {order}" : $"order: {order}" }, http.RequestAborted);
    }

    /// <summary>Records one entry per request served (a list page, a board); returns once all are committed.</summary>
    public Task ServedEach(HttpContext http, string action, IEnumerable<Guid> requestIds, string parts)
    {
        var at = time.GetUtcNow();
        return writer.Record([.. requestIds.Distinct().Select(id => Entry(http, http.User, action, id, parts, AuditOutcomes.Served) with { At = at })], http.RequestAborted);
    }

    /// <summary>
    /// Records a refused call (401, 403, 404) without waiting for its commit: an authenticated caller's as an entry of
    /// its own, naming the request when the route is a request's (<see cref="RequestRoute"/>); anyone else's counted
    /// under the client's address, for the window's one entry (<see cref="AnonymousRefusals"/>).
    /// </summary>
    public ValueTask Refused(HttpContext http, int status)
    {
        if (http.User.Identity?.IsAuthenticated != true || Caller.Problem(http.User) is not null)
        {
            anonymous.Count(ClientAddress.Of(http), status);
            return ValueTask.CompletedTask;
        }

        var entry = Entry(http, http.User, AuditActions.AccessRefused, RequestRoute.IdOf(http), null, AuditOutcomes.Refused(status));
        return writer.Enqueue(entry, CancellationToken.None);
    }

    /// <summary>Records that <paramref name="principal"/>'s token was validated, without waiting for its commit.</summary>
    public ValueTask LoggedOn(HttpContext http, ClaimsPrincipal principal) =>
        writer.Enqueue(Entry(http, principal, AuditActions.Logon, null, null, AuditOutcomes.Accepted), CancellationToken.None);

    private AuditEntry Entry(HttpContext http, ClaimsPrincipal? user, string action, Guid? requestId, string? parts, string outcome)
    {
        var actor = user?.Actor();
        return new AuditEntry
        {
            At = time.GetUtcNow(),
            Subject = actor?.Subject,
            Authority = actor?.Authority,
            Role = actor is null ? null : WireNames.Of(actor.Role),
            Action = action,
            RequestId = requestId,
            Parts = parts,
            Outcome = outcome,
            Purpose = Purpose.Of(http),
        };
    }
}
