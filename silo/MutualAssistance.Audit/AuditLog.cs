using System.Globalization;
using System.Text;
using Npgsql;

namespace MutualAssistance.Audit;

/// <summary>
/// Reads the node's consultation and disclosure log for an authority's auditors: the entries of the authority's own
/// callers and every entry about a request the authority is a party to (who else consulted it: the partner
/// authority's staff on this node, the node's disclosures to a peer), oldest first; and verifies the whole chain
/// (<c>audit_verify</c>, the one place that recomputes the hashes).
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public sealed record Filter(string Authority, DateTimeOffset? From, DateTimeOffset? To, Guid? RequestId, string? Subject, int Limit, AuditCursor? After);

    private const string Sql = """
        SELECT a.sequence, a.at, a.subject, a.authority, a.role, a.action, a.request_id, a.parts, a.outcome, a.purpose,
               a.recipient, a.previous_hash, a.hash
          FROM audit_log a
         WHERE (a.authority = @authority
                OR a.request_id IN (SELECT s.request_id FROM request_summaries s WHERE s.requesting_authority = @authority
                                    UNION ALL
                                    SELECT s.request_id FROM request_summaries s WHERE s.requested_authority = @authority))
           AND a.sequence > @after
           AND (@from::timestamptz IS NULL OR a.at >= @from)
           AND (@to::timestamptz IS NULL OR a.at < @to)
           AND (@request_id::uuid IS NULL OR a.request_id = @request_id)
           AND (@subject::text IS NULL OR a.subject = @subject)
         ORDER BY a.sequence
         LIMIT @take
        """;

    public async Task<AuditLogPage> Read(Filter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("authority", filter.Authority);
        command.Parameters.AddWithValue("after", filter.After?.Sequence ?? 0L);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("from", filter.From?.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("to", filter.To?.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<Guid?>("request_id", filter.RequestId));
        command.Parameters.Add(new NpgsqlParameter<string?>("subject", filter.Subject));
        command.Parameters.AddWithValue("take", filter.Limit + 1);

        var items = new List<AuditLogEntry>(Math.Min(filter.Limit + 1, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new AuditLogEntry(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6), Text(reader, 7), reader.GetString(8), Text(reader, 9), Text(reader, 10),
                reader.GetString(11), reader.GetString(12)));
        }

        return items.Count <= filter.Limit
            ? new AuditLogPage(items, null)
            : new AuditLogPage(items[..filter.Limit], new AuditCursor(items[filter.Limit - 1].Sequence).ToString());
    }

    /// <summary>Recomputes the node's whole chain (every authority's entries: the chain is one per node).</summary>
    public async Task<AuditVerification> Verify(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT entries, broken_at, detail FROM audit_verify()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("audit_verify() returned no row: the log's head row is missing.");
        }

        long? brokenAt = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        return new AuditVerification(brokenAt is null, reader.GetInt64(0), brokenAt, Text(reader, 2));
    }

    /// <summary>
    /// The page as CSV (RFC 4180): a header line, then one line per entry. A value with a comma, quote or line break is
    /// quoted; one that a spreadsheet would take for a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe.
    /// </summary>
    public static string Csv(AuditLogPage page)
    {
        var csv = new StringBuilder("sequence,at,subject,authority,role,action,requestId,parts,outcome,purpose,recipient,previousHash,hash\r\n");
        foreach (var e in page.Items)
        {
            string?[] fields =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                e.Subject, e.Authority, e.Role, e.Action, e.RequestId?.ToString(), e.Parts, e.Outcome, e.Purpose, e.Recipient, e.PreviousHash, e.Hash,
            ];
            csv.AppendJoin(',', fields.Select(CsvField)).Append("\r\n");
        }

        return csv.ToString();
    }

    public static string CsvField(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
