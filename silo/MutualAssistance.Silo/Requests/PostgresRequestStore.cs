using System.Collections.Immutable;
using System.Text.Json;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Grains.History;
using MutualAssistance.Grains.Requests;
using MutualAssistance.Silo.ReadModel;
using MutualAssistance.ReadSide.Writing;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;
using Orleans.Storage;

namespace MutualAssistance.Silo.Requests;

/// <summary>
/// The requests' store on PostgreSQL: <c>request_state</c> (the current facts, Orleans-serialised),
/// <c>request_events</c> (the history, one row per event), the read model and, for a request shared with a peer
/// node, its exchange outbox, all written by one call of <c>request_commit</c> (migrations 0010, 0011): one round
/// trip, one transaction.
/// </summary>
public sealed class PostgresRequestStore(NpgsqlDataSource dataSource, Serializer<AssistanceRequest> serializer, AuthorityChangeNotifier? notifier = null) : IRequestStore
{
    /// <summary>
    /// FOR SHARE: an activation waits for a commit in flight on the row (of an activation on a silo just declared
    /// dead, say) and reads its outcome, instead of starting from the version before it.
    /// </summary>
    private const string ReadSql = "SELECT version, payload FROM request_state WHERE request_id = @id FOR SHARE";

    private const string PeekSql = "SELECT version, payload FROM request_state WHERE request_id = @id";

    internal const string CommitSql =
        "SELECT request_commit(@id, @expected, @version, @payload, @sequence, @at, @ticks, @event, @subject, @authority, @role, @reason, " +
        "@before, @after, @changes, @previous, @hash, @projection, @peer, @peer_has)";

    private const string HistorySql = """
        SELECT sequence, at_ticks, event, actor_subject, actor_authority, actor_role, reason, status_before, status_after,
               clock_changes, previous_hash, hash
          FROM request_events
         WHERE request_id = @id AND sequence > @after
         ORDER BY sequence
         LIMIT @limit
        """;

    public Task<AssistanceRequest?> Read(Guid id, CancellationToken cancellationToken = default) => Read(ReadSql, id, cancellationToken);

    public Task<AssistanceRequest?> Peek(Guid id, CancellationToken cancellationToken = default) => Read(PeekSql, id, cancellationToken);

    private async Task<AssistanceRequest?> Read(string sql, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt32(0);
        var request = serializer.Deserialize(reader.GetFieldValue<byte[]>(1))
            ?? throw new InvalidOperationException($"Request {id}: the stored state is empty.");
        return request.Version == version
            ? request
            : throw new InvalidOperationException($"Request {id}: the stored state says version {request.Version}, its row {version}.");
    }

    public async Task Commit(RequestChange change, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(CommitSql);
        Bind(command.Parameters, change);
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            throw new InconsistentStateException(
                $"Request {change.Next.Id}: the stored version is no longer {change.ExpectedVersion?.ToString() ?? "none"}; nothing was written.",
                storedEtag: null!, currentEtag: change.ExpectedVersion?.ToString() ?? string.Empty);
        }

        notifier?.Changed(change.Projection.RequestingAuthority, change.Projection.RequestedAuthority);
    }

    /// <summary>The parameters of <c>request_commit</c> for <paramref name="change"/> (the legacy migration sends the same).</summary>
    internal void Bind(NpgsqlParameterCollection parameters, RequestChange change)
    {
        var next = change.Next;
        var events = next.NewEvents.IsDefault ? [] : next.NewEvents;
        parameters.AddWithValue("id", next.Id);
        parameters.Add(new NpgsqlParameter<int?>("expected", change.ExpectedVersion));
        parameters.AddWithValue("version", next.Version);
        parameters.AddWithValue("payload", serializer.SerializeToArray(next.Stored()));
        parameters.AddWithValue("sequence", events.Select(e => e.Sequence).ToArray());
        parameters.AddWithValue("at", events.Select(e => e.At).ToArray());
        parameters.AddWithValue("ticks", events.Select(e => e.At.UtcTicks).ToArray());
        parameters.AddWithValue("event", events.Select(e => e.Event).ToArray());
        parameters.AddWithValue("subject", events.Select(e => e.Actor?.Subject).ToArray());
        parameters.AddWithValue("authority", events.Select(e => e.Actor?.Authority).ToArray());
        parameters.AddWithValue("role", events.Select(e => e.Actor is { } actor ? WireNames.Of(actor.Role) : null).ToArray());
        parameters.AddWithValue("reason", events.Select(e => e.Reason).ToArray());
        parameters.AddWithValue("before", events.Select(e => e.StatusBefore is { } status ? WireNames.Of(status) : null).ToArray());
        parameters.AddWithValue("after", events.Select(e => WireNames.Of(e.StatusAfter)).ToArray());
        parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = events.Select(e => JsonSerializer.Serialize(e.ClockChanges.IsDefault ? [] : e.ClockChanges)).ToArray(),
        });
        parameters.AddWithValue("previous", events.Select(e => e.PreviousHash).ToArray());
        parameters.AddWithValue("hash", events.Select(e => e.Hash).ToArray());
        parameters.Add(new NpgsqlParameter("projection", NpgsqlDbType.Jsonb) { Value = ProjectionJson.One(change.Projection) });
        parameters.Add(new NpgsqlParameter<string?>("peer", NpgsqlDbType.Text) { TypedValue = change.Outbox?.Peer });
        parameters.Add(new NpgsqlParameter<int?>("peer_has", NpgsqlDbType.Integer) { TypedValue = change.Outbox?.PeerHas });
    }

    public async Task<ImmutableArray<HistoryEntry>> ReadHistory(Guid id, int after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(HistorySql);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        var entries = ImmutableArray.CreateBuilder<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new HistoryEntry
            {
                Sequence = reader.GetInt32(0),
                At = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                Event = reader.GetString(2),
                Actor = reader.IsDBNull(3) ? null : new Actor { Subject = reader.GetString(3), Authority = reader.GetString(4), Role = Parse<Role>(reader.GetString(5)) },
                Reason = reader.IsDBNull(6) ? null : reader.GetString(6),
                StatusBefore = reader.IsDBNull(7) ? null : Parse<RequestStatus>(reader.GetString(7)),
                StatusAfter = Parse<RequestStatus>(reader.GetString(8)),
                ClockChanges = [.. reader.GetFieldValue<string[]>(9)],
                PreviousHash = reader.GetString(10),
                Hash = reader.GetString(11),
            });
        }

        return entries.ToImmutable();
    }

    private static T Parse<T>(string name) where T : struct, Enum =>
        WireNames.TryParse<T>(name, out var value) ? value : throw new InvalidOperationException($"Stored history names an unknown {typeof(T).Name} '{name}'.");
}
