using System.Collections.Immutable;
using System.Text.Json;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Requests;
using MutualAssistance.ReadSide.Writing;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;
using Orleans.Storage;
using MutualAssistance.Sealing;
using System.Globalization;

namespace MutualAssistance.Persistence;

/// <summary>
/// The requests' store on PostgreSQL: <c>request_state</c> (the current facts, Orleans-serialised and sealed under
/// the request's data key, <see cref="SealedState"/>),
/// <c>request_events</c> (the history, one row per event), the read model and, for a request shared with a peer
/// node, its exchange outbox, all written by one call of <c>request_commit</c> (migrations 0011, 0012, 0022): one round
/// trip, one transaction. Every reason in the history is sealed too (<see cref="SealedReason"/>); the request's data
/// key, made at its first commit here, and its person-search tokens are stored in that same transaction (0013).
/// </summary>
public sealed class PostgresRequestStore(
    NpgsqlDataSource dataSource,
    Serializer<AssistanceRequest> serializer,
    DataKeys keys,
    PersonIndex personIndex,
    AuthorityChangeNotifier? notifier = null) : IRequestStore
{
    /// <summary>
    /// FOR SHARE: an activation waits for a commit in flight on the row (of an activation on a silo just declared
    /// dead, say) and reads its outcome, instead of starting from the version before it.
    /// </summary>
    private const string ReadSql = """
        SELECT s.version, s.payload, k.master_version, k.wrapped
          FROM request_state s LEFT JOIN request_keys k ON k.request_id = s.request_id
         WHERE s.request_id = @id
           FOR SHARE OF s
        """;

    private const string PeekSql = """
        SELECT s.version, s.payload, k.master_version, k.wrapped
          FROM request_state s LEFT JOIN request_keys k ON k.request_id = s.request_id
         WHERE s.request_id = @id
        """;

    /// <summary>The commit, then (only when it succeeded: CASE evaluates in order) the data key and person tokens it brings.</summary>
    internal const string CommitSql =
        "SELECT CASE WHEN request_commit(@id, @expected, @version, @payload, @sequence, @at, @ticks, @event, @subject, @authority, @role, @reason, " +
        "@before, @after, @changes, @previous, @hash, @projection, @peer, @peer_has, @what) " +
        "THEN request_keys_put(@id, @key_version, @key_wrapped, @person_tokens) ELSE false END";

    private const string EraseSql = "SELECT request_erase(@id, @version, @payload)";

    /// <summary>Raised by request_keys_put when another data key is stored: another writer got there first.</summary>
    private const string KeyConflict = PostgresErrorCodes.SerializationFailure;

    private const string HistorySql = """
        SELECT sequence, at_ticks, event, actor_subject, actor_authority, actor_role, reason, status_before, status_after,
               clock_changes, previous_hash, hash, payload::text
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
        var wrapped = reader.IsDBNull(3) ? null : new WrappedDataKey(reader.GetInt32(2), reader.GetFieldValue<byte[]>(3));
        var payload = SealedState.Open(id, keys.Opened(id, wrapped), version, reader.GetFieldValue<byte[]>(1));
        var request = serializer.Deserialize(payload)
            ?? throw new InvalidOperationException($"Request {id}: the stored state is empty.");
        return request.Version == version
            ? request
            : throw new InvalidOperationException($"Request {id}: the stored state says version {request.Version}, its row {version}.");
    }

    public async Task Commit(RequestChange change, CancellationToken cancellationToken = default)
    {
        var next = change.Next;
        DataKey? key = null;
        WrappedDataKey? created = null;
        if (next.ErasedAt is null)
        {
            // A request filed (or first received) here gets its key now; a request written before sealing gets one at its next change.
            key = change.ExpectedVersion is null ? null : await keys.Find(next.Id, cancellationToken);
            if (key is null)
            {
                (key, created) = keys.Create(next.Id);
            }
        }

        var tokens = change.ExpectedVersion is null && next.ErasedAt is null
            ? personIndex.Tokens(next.Filed.PersonsConcerned.IsDefault ? [] : next.Filed.PersonsConcerned.Select(p => p.Name))
            : [];
        await using var command = dataSource.CreateCommand(CommitSql);
        Bind(command.Parameters, serializer, change, key, created, tokens);
        bool committed;
        try
        {
            committed = await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch (PostgresException e) when (e.SqlState == KeyConflict)
        {
            committed = false;
        }

        if (!committed)
        {
            throw new InconsistentStateException(
                $"Request {next.Id}: the stored version is no longer {change.ExpectedVersion?.ToString(CultureInfo.InvariantCulture) ?? "none"}; nothing was written.",
                storedEtag: null!, currentEtag: change.ExpectedVersion?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        }

        if (created is not null)
        {
            keys.Remember(key!);
        }

        notifier?.Changed(change.Projection.RequestingAuthority, change.Projection.RequestedAuthority);
    }

    public async Task Erase(AssistanceRequest erased, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(EraseSql);
        command.Parameters.AddWithValue("id", erased.Id);
        command.Parameters.AddWithValue("version", erased.Version);
        command.Parameters.AddWithValue("payload", SealedState.Plain(serializer.SerializeToArray(erased.Stored())));
        var done = await command.ExecuteScalarAsync(cancellationToken) is true;
        keys.Forget(erased.Id);
        if (!done)
        {
            throw new InconsistentStateException(
                $"Request {erased.Id}: the stored version is no longer {erased.Version}; nothing was erased.", storedEtag: null!, currentEtag: erased.Version.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The parameters of <c>request_commit</c> for <paramref name="change"/>, state and reasons sealed under
    /// <paramref name="key"/> (null: a request whose personal data was erased, or the legacy migration's carry-over,
    /// which writes as the previous release did and leaves sealing to each request's next change).
    /// </summary>
    internal static void Bind(
        NpgsqlParameterCollection parameters, Serializer<AssistanceRequest> serializer, RequestChange change,
        DataKey? key = null, WrappedDataKey? created = null, ImmutableArray<byte[]> personTokens = default)
    {
        var next = change.Next;
        var events = next.NewEvents.IsDefault ? [] : next.NewEvents;
        var serialized = serializer.SerializeToArray(next.Stored());
        parameters.AddWithValue("id", next.Id);
        parameters.Add(new NpgsqlParameter<int?>("expected", change.ExpectedVersion));
        parameters.AddWithValue("version", next.Version);
        parameters.AddWithValue("payload", key is null
            ? (next.ErasedAt is null ? serialized : SealedState.Plain(serialized))
            : SealedState.Seal(key, next.Version, serialized));
        parameters.AddWithValue("sequence", events.Select(e => e.Sequence).ToArray());
        parameters.AddWithValue("at", events.Select(e => e.At).ToArray());
        parameters.AddWithValue("ticks", events.Select(e => e.At.UtcTicks).ToArray());
        parameters.AddWithValue("event", events.Select(e => e.Event).ToArray());
        parameters.AddWithValue("subject", events.Select(e => e.Actor?.Subject).ToArray());
        parameters.AddWithValue("authority", events.Select(e => e.Actor?.Authority).ToArray());
        parameters.AddWithValue("role", events.Select(e => e.Actor is { } actor ? WireNames.Of(actor.Role) : null).ToArray());
        parameters.AddWithValue("reason", events.Select(e => (e.Reason, key, next.ErasedAt) switch
        {
            (null, _, _) => SealedReason.DigestOnly(e.ReasonDigest),
            (var reason, { } sealing, _) => SealedReason.Seal(sealing, e.Sequence, reason, e.ReasonDigest),
            (_, null, not null) => SealedReason.DigestOnly(e.ReasonDigest), // erased: never a reason in the clear
            (var reason, null, null) => reason, // the legacy carry-over, as the previous release wrote it
        }).ToArray());
        parameters.AddWithValue("before", events.Select(e => e.StatusBefore is { } status ? WireNames.Of(status) : null).ToArray());
        parameters.AddWithValue("after", events.Select(e => WireNames.Of(e.StatusAfter)).ToArray());
        parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = events.Select(e => JsonSerializer.Serialize(e.ClockChanges.IsDefault ? [] : e.ClockChanges)).ToArray(),
        });
        parameters.AddWithValue("previous", events.Select(e => e.PreviousHash).ToArray());
        parameters.AddWithValue("hash", events.Select(e => e.Hash).ToArray());
        parameters.Add(new NpgsqlParameter("what", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            // Null for an entry without one: the legacy carry-over writes the previous release's history as it was.
            Value = events.Select(e => e.Payload is { } what ? HistoryEventJson.Write(what) : null).ToArray(),
        });
        parameters.Add(new NpgsqlParameter("projection", NpgsqlDbType.Jsonb) { Value = ProjectionJson.One(change.Projection) });
        parameters.Add(new NpgsqlParameter<string?>("peer", NpgsqlDbType.Text) { TypedValue = change.Outbox?.Peer });
        parameters.Add(new NpgsqlParameter<int?>("peer_has", NpgsqlDbType.Integer) { TypedValue = change.Outbox?.PeerHas });
        parameters.Add(new NpgsqlParameter<int?>("key_version", NpgsqlDbType.Integer) { TypedValue = created?.MasterVersion });
        parameters.Add(new NpgsqlParameter<byte[]?>("key_wrapped", NpgsqlDbType.Bytea) { TypedValue = created?.Bytes });
        parameters.Add(new NpgsqlParameter("person_tokens", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        {
            Value = personTokens.IsDefaultOrEmpty ? DBNull.Value : personTokens.ToArray(),
        });
    }

    public async Task<ImmutableArray<HistoryEntry>> ReadHistory(Guid id, int after, int limit, CancellationToken cancellationToken = default)
    {
        var key = await keys.Find(id, cancellationToken);
        await using var command = dataSource.CreateCommand(HistorySql);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        var entries = ImmutableArray.CreateBuilder<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt32(0);
            var (reason, digest) = SealedReason.Open(id, key, sequence, reader.IsDBNull(6) ? null : reader.GetString(6));
            entries.Add(new HistoryEntry
            {
                Sequence = sequence,
                At = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                Event = reader.GetString(2),
                Actor = reader.IsDBNull(3) ? null : new Actor { Subject = reader.GetString(3), Authority = reader.GetString(4), Role = Parse<Role>(reader.GetString(5)) },
                Reason = reason,
                ReasonDigest = digest,
                StatusBefore = reader.IsDBNull(7) ? null : Parse<RequestStatus>(reader.GetString(7)),
                StatusAfter = Parse<RequestStatus>(reader.GetString(8)),
                ClockChanges = [.. reader.GetFieldValue<string[]>(9)],
                PreviousHash = reader.GetString(10),
                Hash = reader.GetString(11),
                Payload = HistoryEventJson.Read(reader.IsDBNull(12) ? null : reader.GetString(12)),
            });
        }

        return entries.ToImmutable();
    }

    private static T Parse<T>(string name) where T : struct, Enum =>
        WireNames.TryParse<T>(name, out var value) ? value : throw new InvalidOperationException($"Stored history names an unknown {typeof(T).Name} '{name}'.");
}
