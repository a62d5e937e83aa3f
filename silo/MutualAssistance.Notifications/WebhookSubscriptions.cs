using System.Collections.Immutable;
using System.Security.Cryptography;
using Npgsql;

namespace MutualAssistance.Notifications;

/// <summary>
/// The authorities' webhook subscriptions and what was delivered to them (migration 0018): what the API's admins
/// subscribe, list, remove and inspect. Every call is scoped to one authority.
/// </summary>
public sealed class WebhookSubscriptions(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>How many deliveries a listing shows at most.</summary>
    public const int MaxDeliveries = 500;

    /// <summary>A new subscription, and its signing secret (<c>whsec_</c> and 32 random bytes, base64): shown once.</summary>
    public async Task<(WebhookSubscription Subscription, string Secret)> Create(
        string authority, Uri url, ImmutableArray<string> eventTypes, string createdBy, CancellationToken cancellationToken)
    {
        var subscription = new WebhookSubscription(Guid.NewGuid(), authority, url, eventTypes, createdBy, time.GetUtcNow());
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var command = dataSource.CreateCommand("""
            INSERT INTO webhook_subscriptions (id, authority, url, secret, event_types, created_by, created_at)
            VALUES (@id, @authority, @url, @secret, @types, @by, @at)
            """);
        command.Parameters.AddWithValue("id", subscription.Id);
        command.Parameters.AddWithValue("authority", authority);
        command.Parameters.AddWithValue("url", url.AbsoluteUri);
        command.Parameters.AddWithValue("secret", secret);
        command.Parameters.AddWithValue("types", eventTypes.IsDefault ? [] : eventTypes.ToArray());
        command.Parameters.AddWithValue("by", createdBy);
        command.Parameters.AddWithValue("at", subscription.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (subscription, secret);
    }

    public async Task<ImmutableArray<WebhookSubscription>> List(string authority, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, authority, url, event_types, created_by, created_at FROM webhook_subscriptions
             WHERE authority = @authority AND removed_at IS NULL ORDER BY created_at, id
            """);
        command.Parameters.AddWithValue("authority", authority);
        return await Read(command, cancellationToken);
    }

    /// <summary>The live subscriptions of these authorities, with their secrets (the notifier's).</summary>
    public async Task<ImmutableArray<(WebhookSubscription Subscription, string Secret)>> ActiveOf(IReadOnlyCollection<string> authorities, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, authority, url, event_types, created_by, created_at, secret FROM webhook_subscriptions
             WHERE authority = ANY(@authorities) AND removed_at IS NULL
            """);
        command.Parameters.AddWithValue("authorities", authorities.ToArray());
        var found = ImmutableArray.CreateBuilder<(WebhookSubscription, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((Subscription(reader), reader.GetString(6)));
        }

        return found.ToImmutable();
    }

    /// <summary>Removes the authority's subscription; false when it has none by that id.</summary>
    public async Task<bool> Remove(string authority, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE webhook_subscriptions SET removed_at = now() WHERE id = @id AND authority = @authority AND removed_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("authority", authority);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The subscription's deliveries, newest first; null when the authority has no subscription by that id.</summary>
    public async Task<ImmutableArray<WebhookDelivery>?> Deliveries(string authority, Guid id, int limit, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1 FROM webhook_subscriptions WHERE id = @id AND authority = @authority")
        {
            Parameters = { new("id", id), new("authority", authority) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT subscription_id, request_id, sequence, type, created_at, attempts, last_status, last_error, delivered_at, next_attempt_at
              FROM webhook_deliveries WHERE subscription_id = @id ORDER BY created_at DESC, request_id, sequence LIMIT @limit
            """)
        {
            Parameters = { new("id", id), new("limit", Math.Clamp(limit, 1, MaxDeliveries)) },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        await reader.NextResultAsync(cancellationToken);
        var deliveries = ImmutableArray.CreateBuilder<WebhookDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(Delivery(reader));
        }

        return deliveries.ToImmutable();
    }

    internal static WebhookDelivery Delivery(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9));

    private static async Task<ImmutableArray<WebhookSubscription>> Read(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var found = ImmutableArray.CreateBuilder<WebhookSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(Subscription(reader));
        }

        return found.ToImmutable();
    }

    private static WebhookSubscription Subscription(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), new Uri(reader.GetString(2)), [.. reader.GetFieldValue<string[]>(3)], reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5));
}
