using System.Collections.Immutable;
using Npgsql;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>
/// The caller's authority's requests from the read model, newest first, on either side. Each side is read
/// through its own index and the two are merged, so a page costs two short index scans.
/// </summary>
public sealed class RequestList(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <param name="PersonTokens">With a person search: the blind-index tokens of every word of the name asked for; a request matches when its persons hold all of them.</param>
    public sealed record Filter(string Authority, string? Status, string? Partner, string? LegalBasis, bool? Overdue, int Limit, PageCursor? After, ImmutableArray<byte[]>? PersonTokens = null);

    private static readonly string Side = ClockStates.Fill("""
        SELECT s.request_id, s.version, s.status, s.requesting_authority, s.requested_authority, s.legal_basis, s.urgency,
               s.subject, s.filed_at, s.received_at, s.escalation_level,
               (SELECT min(c.due_at) FROM request_clocks c WHERE c.request_id = s.request_id AND c.state IN {ticking}) AS next_due,
               EXISTS (SELECT 1 FROM request_clocks c WHERE c.request_id = s.request_id AND c.state IN {ticking} AND c.due_at < @now) AS overdue
          FROM request_summaries s
         WHERE {party}
           AND (@status::text IS NULL OR s.status = @status)
           AND (@partner::text IS NULL OR {partner} = @partner)
           AND (@basis::text IS NULL OR s.legal_basis = @basis)
           AND (@person::bytea[] IS NULL OR s.request_id IN (SELECT p.request_id FROM request_person_index p WHERE p.token = ANY(@person)
                GROUP BY p.request_id HAVING count(*) = cardinality(@person)))
           AND (@after_at::timestamptz IS NULL OR (s.filed_at, s.request_id) < (@after_at, @after_id))
           AND (@overdue::boolean IS NULL OR EXISTS (SELECT 1 FROM request_clocks c WHERE c.request_id = s.request_id
                AND c.state IN {ticking} AND c.due_at < @now) = @overdue)
         ORDER BY s.filed_at DESC, s.request_id DESC
         LIMIT @take
        """);

    private static readonly string Sql =
        "SELECT * FROM ((" +
        Side.Replace("{party}", "s.requesting_authority = @authority", StringComparison.Ordinal).Replace("{partner}", "s.requested_authority", StringComparison.Ordinal) +
        ") UNION ALL (" +
        Side.Replace("{party}", "s.requested_authority = @authority AND s.requesting_authority <> @authority", StringComparison.Ordinal).Replace("{partner}", "s.requesting_authority", StringComparison.Ordinal) +
        ")) page ORDER BY filed_at DESC, request_id DESC LIMIT @take";

    public async Task<RequestPage> Read(Filter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("authority", filter.Authority);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter<string?>("status", filter.Status));
        command.Parameters.Add(new NpgsqlParameter<string?>("partner", filter.Partner));
        command.Parameters.Add(new NpgsqlParameter<string?>("basis", filter.LegalBasis));
        command.Parameters.Add(new NpgsqlParameter<bool?>("overdue", filter.Overdue));
        command.Parameters.Add(new NpgsqlParameter("person", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bytea)
        {
            Value = filter.PersonTokens is { } tokens ? tokens.ToArray() : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("after_at", filter.After?.At));
        command.Parameters.Add(new NpgsqlParameter<Guid>("after_id", filter.After?.Id ?? Guid.Empty));
        command.Parameters.AddWithValue("take", filter.Limit + 1);

        var items = new List<RequestSummary>(filter.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new RequestSummary(
                reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.GetBoolean(12)));
        }

        if (items.Count <= filter.Limit)
        {
            return new RequestPage(items, null);
        }

        var last = items[filter.Limit - 1];
        return new RequestPage(items[..filter.Limit], new PageCursor(last.FiledAt, last.Id).ToString());
    }
}
