using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.Notifications;

/// <summary>
/// The mail sender's side of migration 0019: items added with the fan-out (once per address and event), the addresses
/// whose digest may go now, their items locked while they are sent, and the digest recorded with the items marked sent.
/// </summary>
public static class MailQueue
{
    public static async Task Add(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<MailItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO email_items (address, request_id, sequence, authority, language, type, level, payload, send_at, immediate)
            SELECT * FROM unnest(@addresses, @requests, @sequences, @authorities, @languages, @types, @levels, @payloads, @send_at, @immediate)
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("addresses", items.Select(i => i.Address).ToArray());
        command.Parameters.AddWithValue("requests", items.Select(i => i.RequestId).ToArray());
        command.Parameters.AddWithValue("sequences", items.Select(i => i.Sequence).ToArray());
        command.Parameters.AddWithValue("authorities", items.Select(i => i.Authority).ToArray());
        command.Parameters.AddWithValue("languages", items.Select(i => i.Language).ToArray());
        command.Parameters.AddWithValue("types", items.Select(i => i.Type).ToArray());
        command.Parameters.AddWithValue("levels", items.Select(i => i.Level).ToArray());
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = items.Select(i => i.Payload).ToArray() });
        command.Parameters.AddWithValue("send_at", items.Select(i => i.SendAt.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue("immediate", items.Select(i => i.Immediate).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The addresses with items due whose last digest is at least <paramref name="digestInterval"/> old, or with an item that goes at once.</summary>
    public static async Task<ImmutableArray<string>> DueAddresses(NpgsqlConnection connection, TimeSpan digestInterval, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT i.address FROM email_items i LEFT JOIN email_digests d ON d.address = i.address
             WHERE i.sent_at IS NULL AND i.send_at <= now()
             GROUP BY i.address, d.last_sent_at
            HAVING bool_or(i.immediate) OR d.last_sent_at IS NULL OR d.last_sent_at <= now() - @interval
             ORDER BY min(i.send_at)
             LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("interval", digestInterval);
        command.Parameters.AddWithValue("limit", limit);
        var addresses = ImmutableArray.CreateBuilder<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            addresses.Add(reader.GetString(0));
        }

        return addresses.ToImmutable();
    }

    /// <summary>The address's items due, locked until <paramref name="transaction"/> ends, oldest first.</summary>
    public static async Task<ImmutableArray<MailItem>> Due(NpgsqlConnection connection, NpgsqlTransaction transaction, string address, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT address, request_id, sequence, authority, language, type, level, payload::text, send_at, immediate
              FROM email_items WHERE address = @address AND sent_at IS NULL AND send_at <= now()
             ORDER BY send_at, request_id, sequence
               FOR UPDATE
            """, connection, transaction);
        command.Parameters.AddWithValue("address", address);
        var items = ImmutableArray.CreateBuilder<MailItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new MailItem(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt32(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetBoolean(9)));
        }

        return items.ToImmutable();
    }

    /// <summary>
    /// Marks the items sent and records the address's digest, in the transaction that locked them, at the time the
    /// SMTP server accepted it (<c>clock_timestamp()</c>, not the transaction's start, which precedes the send: the
    /// next digest must wait a whole interval after this one reached the server).
    /// </summary>
    public static async Task Sent(NpgsqlConnection connection, NpgsqlTransaction transaction, string address, IReadOnlyCollection<MailItem> items, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE email_items i SET sent_at = clock_timestamp() FROM unnest(@requests, @sequences) AS t (request_id, sequence)
             WHERE i.address = @address AND i.request_id = t.request_id AND i.sequence = t.sequence
            """)
        {
            Parameters =
            {
                new("address", address),
                new("requests", items.Select(i => i.RequestId).ToArray()),
                new("sequences", items.Select(i => i.Sequence).ToArray()),
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO email_digests (address, last_sent_at) VALUES (@address, clock_timestamp())
            ON CONFLICT (address) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
            """)
        {
            Parameters = { new("address", address) },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
