using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.Notifications;

/// <summary>
/// The notifier's side of migration 0018: the queued events (taken under a lock, turned into deliveries and removed in
/// one transaction) and the deliveries (claimed for a lease, then recorded delivered or failed).
/// </summary>
public static class NotificationQueue
{
    /// <summary>Up to <paramref name="limit"/> queued events, oldest first, locked for this transaction (others skip them).</summary>
    public static async Task<ImmutableArray<QueuedEvent>> Take(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT q.request_id, q.sequence, e.event, e.actor_authority, e.at, e.clock_changes, s.requesting_authority, s.requested_authority, s.subject,
                   e.payload::text
              FROM notification_events q
              JOIN request_events e ON e.request_id = q.request_id AND e.sequence = q.sequence
              LEFT JOIN request_summaries s ON s.request_id = q.request_id
             ORDER BY q.queued_at, q.request_id, q.sequence
             LIMIT @limit
               FOR UPDATE OF q SKIP LOCKED
            """, connection, transaction);
        command.Parameters.AddWithValue("limit", limit);
        var events = ImmutableArray.CreateBuilder<QueuedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new QueuedEvent(
                reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), [.. reader.GetFieldValue<string[]>(5)],
                reader.IsDBNull(6) ? string.Empty : reader.GetString(6), reader.IsDBNull(7) ? string.Empty : reader.GetString(7),
                reader.IsDBNull(8) ? string.Empty : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return events.ToImmutable();
    }

    /// <summary>Adds the deliveries (one per subscription and event: a second time changes nothing) and removes the events from the queue.</summary>
    public static async Task Fan(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<QueuedEvent> taken,
        IReadOnlyCollection<(Guid Subscription, Guid RequestId, int Sequence, string Type, string Payload)> deliveries, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (deliveries.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO webhook_deliveries (subscription_id, request_id, sequence, type, payload)
                SELECT * FROM unnest(@subscriptions, @requests, @sequences, @types, @payloads)
                ON CONFLICT DO NOTHING
                """)
            {
                Parameters =
                {
                    new("subscriptions", deliveries.Select(d => d.Subscription).ToArray()),
                    new("requests", deliveries.Select(d => d.RequestId).ToArray()),
                    new("sequences", deliveries.Select(d => d.Sequence).ToArray()),
                    new("types", deliveries.Select(d => d.Type).ToArray()),
                    new("payloads", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = deliveries.Select(d => d.Payload).ToArray() },
                },
            });
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            DELETE FROM notification_events q USING unnest(@requests, @sequences) AS t (request_id, sequence)
             WHERE q.request_id = t.request_id AND q.sequence = t.sequence
            """)
        {
            Parameters =
            {
                new("requests", taken.Select(e => e.RequestId).ToArray()),
                new("sequences", taken.Select(e => e.Sequence).ToArray()),
            },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Claims up to <paramref name="limit"/> deliveries due, for <paramref name="lease"/> (another sender skips them meanwhile).</summary>
    public static async Task<ImmutableArray<DueDelivery>> Claim(NpgsqlDataSource dataSource, int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_deliveries d SET next_attempt_at = now() + @lease
              FROM (SELECT x.subscription_id, x.request_id, x.sequence FROM webhook_deliveries x
                      JOIN webhook_subscriptions s ON s.id = x.subscription_id AND s.removed_at IS NULL
                     WHERE x.delivered_at IS NULL AND x.next_attempt_at <= now()
                     ORDER BY x.next_attempt_at LIMIT @limit FOR UPDATE OF x SKIP LOCKED) due,
                   webhook_subscriptions s
             WHERE d.subscription_id = due.subscription_id AND d.request_id = due.request_id AND d.sequence = due.sequence
               AND s.id = d.subscription_id
            RETURNING d.subscription_id, d.request_id, d.sequence, d.type, d.created_at, d.attempts, d.last_status, d.last_error,
                      d.delivered_at, d.next_attempt_at, s.url, s.secret, d.payload::text
            """);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("limit", limit);
        var due = ImmutableArray.CreateBuilder<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueDelivery(WebhookSubscriptions.Delivery(reader), new Uri(reader.GetString(10)), reader.GetString(11), reader.GetString(12)));
        }

        return due.ToImmutable();
    }

    /// <summary>Records an attempt: delivered (a 2xx), or failed with what happened and when to try again.</summary>
    public static async Task Attempted(
        NpgsqlDataSource dataSource, WebhookDelivery delivery, int? status, string? error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_deliveries
               SET attempts = attempts + 1, last_status = @status, last_error = @error,
                   delivered_at = CASE WHEN @retry IS NULL THEN now() END, next_attempt_at = coalesce(@retry, next_attempt_at)
             WHERE subscription_id = @subscription AND request_id = @request AND sequence = @sequence AND delivered_at IS NULL
            """);
        command.Parameters.AddWithValue("subscription", delivery.SubscriptionId);
        command.Parameters.AddWithValue("request", delivery.RequestId);
        command.Parameters.AddWithValue("sequence", delivery.Sequence);
        command.Parameters.Add(new NpgsqlParameter<int?>("status", NpgsqlDbType.Integer) { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter<string?>("error", NpgsqlDbType.Text) { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("retry", NpgsqlDbType.TimestampTz) { TypedValue = retryAt?.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
