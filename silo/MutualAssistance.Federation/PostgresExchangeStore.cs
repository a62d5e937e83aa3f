using System.Collections.Immutable;
using System.Text.Json;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Federation.Wire;
using MutualAssistance.Sealing;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.Federation;

/// <summary>
/// The exchange's tables (migration 0012): the outbox the commit marks, the commands sent to the ordering node, the
/// changes held for a gap (those two sealed, <see cref="SealedExchangeRecord"/>), and the receipts kept as delivery evidence.
/// Commands and held changes are kept as their wire records, the JSON they travel as (the rows written before these
/// records read unchanged), so that renaming a property of the domain cannot make a stored row unreadable.
/// </summary>
public sealed class PostgresExchangeStore(NpgsqlDataSource dataSource, IRequestStore requests, NodeMap nodes, IKeyWrapping wrapping) : IExchangeStore
{
    public async Task AddCommand(Guid requestId, string peer, PeerCommand command, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("""
            INSERT INTO exchange_commands (request_id, sequence, peer, action, subject, command)
            VALUES (@id, @sequence, @peer, @action, @subject, @command)
            """);
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("sequence", command.Sequence);
        sql.Parameters.AddWithValue("peer", peer);
        sql.Parameters.AddWithValue("action", command.Kind);
        sql.Parameters.AddWithValue("subject", command.Actor?.Subject ?? $"node {nodes.NodeId}");
        sql.Parameters.AddWithValue("command", SealedExchangeRecord.Seal(wrapping, requestId, SealedExchangeRecord.CommandField(command.Sequence), JsonSerializer.Serialize(WireCommand.ToWire(command), ExchangeJson.Options)));
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> HasPending(Guid requestId, string? kind, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM exchange_commands WHERE request_id = @id AND (@kind::text IS NULL OR action = @kind) AND decided_at IS NULL)");
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.Add(new NpgsqlParameter<string?>("kind", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = kind });
        return (bool)(await sql.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<int> LastCommand(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("SELECT coalesce(max(sequence), 0) FROM exchange_commands WHERE request_id = @id");
        sql.Parameters.AddWithValue("id", requestId);
        return (int)(await sql.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task CommandDecided(Guid requestId, PeerCommandDecision decision, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("""
            UPDATE exchange_commands SET decided_at = now(), outcome = @outcome, detail = @detail, last_error = NULL
             WHERE request_id = @id AND sequence = @sequence AND decided_at IS NULL
            """);
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("sequence", decision.Sequence);
        sql.Parameters.AddWithValue("outcome", WireNames.Of(decision.Outcome));
        sql.Parameters.Add(new NpgsqlParameter<string?>("detail", NpgsqlDbType.Text) { TypedValue = decision.Detail });
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task Hold(Guid requestId, string sender, SharedChange change, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("""
            INSERT INTO exchange_held (request_id, after_sequence, sender, change) VALUES (@id, @after, @sender, @change)
            ON CONFLICT (request_id, after_sequence) DO UPDATE SET change = EXCLUDED.change, sender = EXCLUDED.sender, held_at = now()
            """);
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("after", change.After.Sequence);
        sql.Parameters.AddWithValue("sender", sender);
        sql.Parameters.AddWithValue("change", SealedExchangeRecord.Seal(wrapping, requestId, SealedExchangeRecord.HeldField(change.After.Sequence), JsonSerializer.Serialize(WireChange.ToWire(change), ExchangeJson.Options)));
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ImmutableArray<SharedChange>> Held(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("SELECT after_sequence, change FROM exchange_held WHERE request_id = @id ORDER BY after_sequence");
        sql.Parameters.AddWithValue("id", requestId);
        var held = ImmutableArray.CreateBuilder<SharedChange>();
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var json = SealedExchangeRecord.Open(wrapping, requestId, SealedExchangeRecord.HeldField(reader.GetInt32(0)), reader.GetFieldValue<byte[]>(1));
            held.Add(JsonSerializer.Deserialize<WireChange>(json, ExchangeJson.Options)?.ToDomain()!);
        }

        return held.ToImmutable();
    }

    public async Task Release(Guid requestId, int after, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("DELETE FROM exchange_held WHERE request_id = @id AND after_sequence = @after");
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("after", after);
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> HashAt(Guid requestId, int sequence, CancellationToken cancellationToken = default)
    {
        await using var sql = dataSource.CreateCommand("SELECT hash FROM request_events WHERE request_id = @id AND sequence = @sequence");
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("sequence", sequence);
        return await sql.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<ExchangeView> View(Guid requestId, Placement placement, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT head_sequence, delivered_sequence, pending_since, delivered_at, last_error, attempts, in_agreement
              FROM exchange_outbox WHERE request_id = @id
            """) { Parameters = { new("id", requestId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT sequence, action, subject, created_at, outcome, detail, last_error, attempts, decided_at
              FROM exchange_commands
             WHERE request_id = @id
               AND (decided_at IS NULL
                    OR sequence = (SELECT max(sequence) FROM exchange_commands WHERE request_id = @id AND outcome IS NOT NULL AND outcome <> 'applied'))
             ORDER BY sequence
            """) { Parameters = { new("id", requestId) } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var delivered = true;
        DateTimeOffset? pendingSince = null, deliveredAt = null;
        string? lastError = null;
        var attempts = 0;
        var agreed = true;
        if (await reader.ReadAsync(cancellationToken))
        {
            delivered = reader.GetInt32(1) >= reader.GetInt32(0);
            pendingSince = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
            deliveredAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
            lastError = reader.IsDBNull(4) ? null : reader.GetString(4);
            attempts = reader.GetInt32(5);
            agreed = reader.GetBoolean(6);
        }

        await reader.NextResultAsync(cancellationToken);
        var pending = ImmutableArray.CreateBuilder<PendingCommandView>();
        PendingCommandView? refused = null;
        var undecided = false;
        DateTimeOffset? lastDecided = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var isAction = WireNames.TryParse<RequestAction>(reader.GetString(1), out var action);
            var view = new PendingCommandView
            {
                Sequence = reader.GetInt32(0),
                Action = action,
                Subject = reader.GetString(2),
                Since = reader.GetFieldValue<DateTimeOffset>(3),
                Outcome = reader.IsDBNull(4) ? null : reader.GetString(4),
                Detail = reader.IsDBNull(5) ? null : reader.GetString(5),
                LastError = reader.IsDBNull(6) ? null : reader.GetString(6),
            };
            if (view.Outcome is null)
            {
                if (isAction)
                {
                    // Commands of the node itself (its clocks' events and due times) count as pending, shown as such only in the delivery state.
                    pending.Add(view);
                }

                attempts = Math.Max(attempts, reader.GetInt32(7));
                lastError ??= view.LastError;
                pendingSince = pendingSince is { } since && since < view.Since ? since : view.Since;
                undecided = true;
            }
            else
            {
                refused = view;
                lastDecided = reader.GetFieldValue<DateTimeOffset>(8);
            }
        }

        var allDelivered = delivered && !undecided;
        return new ExchangeView
        {
            Peer = placement.Peer!.Id,
            OrderedBy = placement.Role == RequestRole.Orders ? nodes.NodeId : placement.Peer.Id,
            Delivery = allDelivered ? "delivered" : "pending",
            DeliveredAt = allDelivered ? Latest(deliveredAt, lastDecided) : null,
            PendingSince = allDelivered ? null : pendingSince,
            LastError = allDelivered ? null : lastError,
            Attempts = allDelivered ? 0 : attempts,
            PendingCommands = pending.ToImmutable(),
            LastRefused = refused,
            InAgreement = agreed,
        };
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    // ---- The relay's side ----

    /// <summary>Claims up to <paramref name="limit"/> outbox rows due now, for <paramref name="lease"/> (other silos skip them meanwhile).</summary>
    public async Task<ImmutableArray<OutboxItem>> ClaimOutbox(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("""
            UPDATE exchange_outbox o SET next_attempt_at = now() + @lease
              FROM (SELECT request_id, peer FROM exchange_outbox
                     WHERE head_sequence > delivered_sequence AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED) due
             WHERE o.request_id = due.request_id AND o.peer = due.peer
            RETURNING o.request_id, o.peer, o.delivered_sequence, o.attempts
            """);
        sql.Parameters.AddWithValue("lease", lease);
        sql.Parameters.AddWithValue("limit", limit);
        var items = ImmutableArray.CreateBuilder<OutboxItem>();
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new OutboxItem(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return items.ToImmutable();
    }

    /// <summary>
    /// Claims the first undecided command of up to <paramref name="limit"/> requests, once their outbox has nothing
    /// waiting (the filing goes before the commands on it).
    /// </summary>
    public async Task<ImmutableArray<CommandItem>> ClaimCommands(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("""
            UPDATE exchange_commands c SET next_attempt_at = now() + @lease
              FROM (SELECT request_id, sequence FROM exchange_commands p
                     WHERE decided_at IS NULL AND next_attempt_at <= now()
                       AND NOT EXISTS (SELECT 1 FROM exchange_commands e WHERE e.request_id = p.request_id AND e.sequence < p.sequence AND e.decided_at IS NULL)
                       AND NOT EXISTS (SELECT 1 FROM exchange_outbox o WHERE o.request_id = p.request_id AND o.head_sequence > o.delivered_sequence)
                     ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED) due
             WHERE c.request_id = due.request_id AND c.sequence = due.sequence
            RETURNING c.request_id, c.peer, c.sequence, c.command, c.attempts
            """);
        sql.Parameters.AddWithValue("lease", lease);
        sql.Parameters.AddWithValue("limit", limit);
        var items = ImmutableArray.CreateBuilder<CommandItem>();
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            var json = SealedExchangeRecord.Open(wrapping, id, SealedExchangeRecord.CommandField(reader.GetInt32(2)), reader.GetFieldValue<byte[]>(3));
            items.Add(new CommandItem(id, reader.GetString(1), JsonSerializer.Deserialize<WireCommand>(json, ExchangeJson.Options)?.ToDomain()!, reader.GetInt32(4)));
        }

        return items.ToImmutable();
    }

    /// <summary>
    /// The request as stored and every event after <paramref name="after"/> up to its head, read a page at a time. The
    /// state is read first (without waiting on a commit in flight): events are appended with the state in one
    /// transaction, so every event up to its head is there to read.
    /// </summary>
    public async Task<SharedChange?> ReadOutgoing(Guid requestId, int after, CancellationToken cancellationToken)
    {
        if (await requests.Peek(requestId, cancellationToken) is not { } request || request.Head.Sequence <= after)
        {
            return null;
        }

        var events = ImmutableArray.CreateBuilder<HistoryEntry>();
        var from = after;
        while (from < request.Head.Sequence)
        {
            var page = await requests.ReadHistory(requestId, from, HistoryPage.MaxLimit, cancellationToken);
            events.AddRange(page.Where(e => e.Sequence <= request.Head.Sequence));
            if (page.IsEmpty)
            {
                break;
            }

            from = page[^1].Sequence;
        }

        var tail = events.ToImmutable();
        return tail.IsEmpty || tail[^1].Sequence != request.Head.Sequence
            ? throw new InvalidOperationException($"Request {requestId}: the history ends at {(tail.IsEmpty ? after : tail[^1].Sequence)}, its state at {request.Head.Sequence}.")
            : new SharedChange { After = new ChainHead { Sequence = after, Hash = tail[0].PreviousHash }, Events = tail, State = request };
    }

    public async Task Delivered(OutboxItem item, int sequence, ExchangeReceipt receipt, byte[] evidence, bool agreed, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE exchange_outbox
               SET delivered_sequence = greatest(delivered_sequence, @sequence), delivered_at = now(), attempts = 0, last_error = NULL,
                   receipt = @receipt, in_agreement = in_agreement AND @agreed,
                   pending_since = CASE WHEN greatest(delivered_sequence, @sequence) >= head_sequence THEN NULL ELSE pending_since END,
                   next_attempt_at = now()
             WHERE request_id = @id AND peer = @peer
            """) { Parameters = { new("id", item.RequestId), new("peer", item.Peer), new("sequence", sequence), new("receipt", evidence), new("agreed", agreed) } });
        batch.BatchCommands.Add(ReceiptRow(item.RequestId, item.Peer, sequence, receipt, evidence));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A peer answered again after failures: what waits for it on a backoff goes now, not at its next attempt.</summary>
    public async Task PeerBack(string peer, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE exchange_outbox SET next_attempt_at = now()
             WHERE peer = @peer AND attempts > 0 AND head_sequence > delivered_sequence AND next_attempt_at > now()
            """) { Parameters = { new("peer", peer) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE exchange_commands SET next_attempt_at = now()
             WHERE peer = @peer AND attempts > 0 AND decided_at IS NULL AND next_attempt_at > now()
            """) { Parameters = { new("peer", peer) } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task Rewind(OutboxItem item, int peerHas, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("""
            UPDATE exchange_outbox SET delivered_sequence = least(delivered_sequence, @has), next_attempt_at = now(),
                   pending_since = coalesce(pending_since, now())
             WHERE request_id = @id AND peer = @peer
            """);
        sql.Parameters.AddWithValue("id", item.RequestId);
        sql.Parameters.AddWithValue("peer", item.Peer);
        sql.Parameters.AddWithValue("has", peerHas);
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task Failed(OutboxItem item, TimeSpan retryIn, string error, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("""
            UPDATE exchange_outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = now() + @retry
             WHERE request_id = @id AND peer = @peer
            """);
        sql.Parameters.AddWithValue("id", item.RequestId);
        sql.Parameters.AddWithValue("peer", item.Peer);
        sql.Parameters.AddWithValue("error", Truncate(error));
        sql.Parameters.AddWithValue("retry", retryIn);
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CommandFailed(Guid requestId, int sequence, TimeSpan retryIn, string error, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("""
            UPDATE exchange_commands SET attempts = attempts + 1, last_error = @error, next_attempt_at = now() + @retry
             WHERE request_id = @id AND sequence = @sequence AND decided_at IS NULL
            """);
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("sequence", sequence);
        sql.Parameters.AddWithValue("error", Truncate(error));
        sql.Parameters.AddWithValue("retry", retryIn);
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task KeepDecisionReceipt(Guid requestId, string peer, int sequence, ExchangeReceipt receipt, byte[] evidence, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ReceiptRow(requestId, peer, sequence, receipt, evidence));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What waits: how many requests have undelivered events or undecided commands, since when, and how many disagree;
    /// and which request waits longest for each, with its last error.
    /// </summary>
    public async Task<ExchangeBacklog> Backlog(CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM exchange_outbox WHERE head_sequence > delivered_sequence),
                   (SELECT count(*) FROM exchange_commands WHERE decided_at IS NULL),
                   (SELECT count(*) FROM exchange_outbox WHERE NOT in_agreement),
                   o.request_id, o.peer, o.pending_since, o.last_error,
                   c.request_id, c.peer, c.sequence, c.created_at, c.last_error
              FROM (SELECT 1) one
              LEFT JOIN LATERAL (SELECT request_id, peer, pending_since, last_error FROM exchange_outbox
                                  WHERE head_sequence > delivered_sequence ORDER BY pending_since LIMIT 1) o ON true
              LEFT JOIN LATERAL (SELECT request_id, peer, sequence, created_at, last_error FROM exchange_commands
                                  WHERE decided_at IS NULL ORDER BY created_at LIMIT 1) c ON true
            """);
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ExchangeBacklog(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.IsDBNull(3) || reader.IsDBNull(5) ? null : new WaitingItem(reader.GetGuid(3), reader.GetString(4), null, reader.GetFieldValue<DateTimeOffset>(5), Nullable(reader, 6)),
            reader.IsDBNull(7) ? null : new WaitingItem(reader.GetGuid(7), reader.GetString(8), reader.GetInt32(9), reader.GetFieldValue<DateTimeOffset>(10), Nullable(reader, 11)));

        static string? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
    }

    public async Task Disagrees(Guid requestId, string peer, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand("UPDATE exchange_outbox SET in_agreement = false WHERE request_id = @id AND peer = @peer");
        sql.Parameters.AddWithValue("id", requestId);
        sql.Parameters.AddWithValue("peer", peer);
        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand ReceiptRow(Guid requestId, string peer, int sequence, ExchangeReceipt receipt, byte[] evidence) => new("""
        INSERT INTO exchange_receipts (request_id, peer, sequence, envelope_hash, outcome, receipt) VALUES (@id, @peer, @sequence, @hash, @outcome, @receipt)
        """)
    {
        Parameters =
        {
            new("id", requestId), new("peer", peer), new("sequence", sequence), new("hash", receipt.EnvelopeHash),
            new("outcome", WireNames.Of(receipt.Outcome)), new("receipt", evidence),
        },
    };

    private static string Truncate(string error) => error.Length <= 500 ? error : error[..500];
}

public sealed record OutboxItem(Guid RequestId, string Peer, int DeliveredSequence, int Attempts);

public sealed record CommandItem(Guid RequestId, string Peer, PeerCommand Command, int Attempts);

public sealed record ExchangeBacklog(long PendingRequests, long PendingCommands, long Disagreeing, WaitingItem? OldestPending, WaitingItem? OldestCommand);

/// <summary>What waits longest for a peer: a request's undelivered events, or its command (<see cref="Sequence"/>).</summary>
public sealed record WaitingItem(Guid RequestId, string Peer, int? Sequence, DateTimeOffset Since, string? LastError);
