using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using MutualAssistance.Api.Localization;
using MutualAssistance.Api.Security;
using MutualAssistance.Audit;
using MutualAssistance.Contracts;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// The inputs of <c>GET /api/audit/log</c>: the query values as sent (strings, so that every bad one is named in the
/// answer rather than failing binding), the caller and the log. <see cref="TryFilter"/> checks them all at once.
/// </summary>
public sealed record AuditLogQuery(
    HttpRequest Http,
    ClaimsPrincipal User,
    AuditLog Log,
    CancellationToken Cancel,
    [FromQuery(Name = "from")] string? From = null,
    [FromQuery(Name = "to")] string? To = null,
    [FromQuery(Name = "requestId")] string? RequestId = null,
    [FromQuery(Name = "subject")] string? Subject = null,
    [FromQuery(Name = "limit")] string? Limit = null,
    [FromQuery(Name = "cursor")] string? Cursor = null)
{
    public const int MaxSubject = 200;

    /// <summary>The read's filter, or the problem of every bad value by its query name.</summary>
    public bool TryFilter(out AuditLog.Filter filter, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var from = Instant("from", From, errors);
        var to = Instant("to", To, errors);
        if (from is { } start && to is { } end && end < start)
        {
            errors["to"] = FieldText.Words(FieldMessages.NotBeforeFrom());
        }

        Guid? requestId = null;
        if (RequestId is not null)
        {
            if (Guid.TryParseExact(RequestId, "D", out var id))
            {
                requestId = id;
            }
            else
            {
                errors["requestId"] = FieldText.Words(FieldMessages.RequestIdQuery());
            }
        }

        if (Subject is not null && (Subject.Length is 0 or > MaxSubject || Subject.Any(char.IsControl)))
        {
            errors["subject"] = FieldText.Words(FieldMessages.StaffId(MaxSubject));
        }

        var limit = AuditLog.DefaultLimit;
        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > AuditLog.MaxLimit))
        {
            errors["limit"] = FieldText.Words(FieldMessages.Range(1, AuditLog.MaxLimit));
        }

        if (!AuditCursor.TryParse(Cursor, out var after))
        {
            errors["cursor"] = FieldText.Words(FieldMessages.NotACursor());
        }

        filter = new AuditLog.Filter(User.Authority(), from, to, requestId, Subject, limit, after);
        return errors.Count == 0;
    }

    /// <summary>An ISO 8601 instant with its offset (2026-12-01T00:00:00Z) or a date (2026-12-01, midnight UTC).</summary>
    private static DateTimeOffset? Instant(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length <= 40)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            if (text.Contains('T', StringComparison.Ordinal)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
                && instant.Year is >= 2000 and <= 9999)
            {
                return instant;
            }
        }

        errors[name] = FieldText.Words(FieldMessages.DateOrInstant());
        return null;
    }
}
