using System.Collections.Immutable;
using Npgsql;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>
/// Ended requests whose retention period may have passed on this node, a page at a time by when they last changed.
/// The caller gives, per authority served here and legal basis, the latest end from which a request may be erased
/// now; a request qualifies when it ended at or before that limit for every party of it served here (the longest
/// period wins) and it is not erased yet. The request's grain decides; this only finds whom to ask.
/// </summary>
public static class RetentionCandidates
{
    /// <summary>One authority served here, a legal basis, and the latest end erasable now under them.</summary>
    public sealed record Limit(string Authority, string LegalBasis, DateTimeOffset LatestEnd);

    /// <summary>Where a page ended: the last candidate's change time and id.</summary>
    public sealed record Cursor(DateTimeOffset ChangedAt, Guid Id)
    {
        public static readonly Cursor Start = new(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Empty);
    }

    public static async Task<ImmutableArray<(Guid Id, Cursor Cursor)>> Read(
        NpgsqlConnection connection, IReadOnlyCollection<string> finalStatuses, IReadOnlyCollection<Limit> limits, Cursor after, int limit, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(
            """
            WITH limits AS (SELECT * FROM unnest(@authorities, @bases, @latest) AS l(authority, legal_basis, latest_end))
            SELECT s.request_id, s.changed_at FROM request_summaries s
             WHERE s.status = ANY(@final)
               AND (s.changed_at, s.request_id) > (@after_at, @after_id)
               AND s.changed_at <= (SELECT min(l.latest_end) FROM limits l
                                     WHERE l.legal_basis = s.legal_basis AND l.authority IN (s.requesting_authority, s.requested_authority))
               AND NOT EXISTS (SELECT 1 FROM request_erasures e WHERE e.request_id = s.request_id)
             ORDER BY s.changed_at, s.request_id
             LIMIT @limit
            """, connection);
        find.Parameters.AddWithValue("authorities", limits.Select(l => l.Authority).ToArray());
        find.Parameters.AddWithValue("bases", limits.Select(l => l.LegalBasis).ToArray());
        find.Parameters.AddWithValue("latest", limits.Select(l => l.LatestEnd.ToUniversalTime()).ToArray());
        find.Parameters.AddWithValue("final", finalStatuses.ToArray());
        find.Parameters.AddWithValue("after_at", after.ChangedAt.ToUniversalTime());
        find.Parameters.AddWithValue("after_id", after.Id);
        find.Parameters.AddWithValue("limit", limit);
        var found = ImmutableArray.CreateBuilder<(Guid, Cursor)>();
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            found.Add((id, new Cursor(reader.GetFieldValue<DateTimeOffset>(1), id)));
        }

        return found.ToImmutable();
    }
}
