using System.Collections.Immutable;
using Npgsql;

namespace MutualAssistance.Sealing;

/// <summary>
/// Rewraps every data key (<c>request_keys</c>), then every exchange record (<see cref="SealedExchangeRecord"/>:
/// <c>exchange_commands.command</c>, <c>exchange_held.change</c>, each with a key of its own), still under another
/// master-key version than the active one, in batches, each committed on its own: only the wrapped keys change (no
/// sealed value is touched), and an interrupted run resumes where it stopped because what is left is exactly what is
/// still under an older version. Silos keep running meanwhile: a key under either version opens while both are
/// configured. When the run's last line lists a version for neither data keys nor exchange records, that version can
/// be retired (removed from <c>Sealing:MasterKeys</c>).
/// </summary>
public sealed class MasterKeyRotation(NpgsqlDataSource dataSource, IKeyWrapping wrapping)
{
    private const string TakeSql = """
        SELECT request_id, master_version, wrapped FROM request_keys
         WHERE master_version <> @active
         ORDER BY request_id
         LIMIT @batch
           FOR UPDATE SKIP LOCKED
        """;

    private const string PutSql = """
        UPDATE request_keys k SET master_version = @active, wrapped = r.wrapped, rewrapped_at = now()
          FROM unnest(@ids, @wrapped) AS r (request_id, wrapped)
         WHERE k.request_id = r.request_id
        """;

    private const string CountSql = "SELECT master_version, count(*) FROM request_keys GROUP BY master_version ORDER BY master_version";

    /// <summary>The exchange's sealed records (<see cref="SealedExchangeRecord"/>): table, position column, record column.</summary>
    private static readonly (string Table, string Position, string Record)[] ExchangeRecords =
    [
        ("exchange_commands", "sequence", "command"),
        ("exchange_held", "after_sequence", "change"),
    ];

    /// <summary>A sealed exchange record starts with MAX1 and the big-endian master version.</summary>
    private static string SealedUnderOther(string column) =>
        $"substring({column} from 1 for 4) = '\\x4d415831'::bytea AND substring({column} from 5 for 4) <> int4send(@active)";

    private const string CountRecordsSql = """
        SELECT v, sum(n)::int8 FROM (
            SELECT get_byte(command, 4) << 24 | get_byte(command, 5) << 16 | get_byte(command, 6) << 8 | get_byte(command, 7) AS v, count(*) AS n
              FROM exchange_commands WHERE substring(command from 1 for 4) = '\x4d415831'::bytea GROUP BY 1
            UNION ALL
            SELECT get_byte(change, 4) << 24 | get_byte(change, 5) << 16 | get_byte(change, 6) << 8 | get_byte(change, 7), count(*)
              FROM exchange_held WHERE substring(change from 1 for 4) = '\x4d415831'::bytea GROUP BY 1) r
         GROUP BY v ORDER BY v
        """;

    /// <summary>
    /// Rewraps one batch: data keys first, then the exchange's records; the number rewrapped (0: nothing is left under
    /// an older version).
    /// </summary>
    public async Task<int> RewrapBatchAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        var done = await RewrapKeysAsync(batchSize, cancellationToken);
        foreach (var records in ExchangeRecords)
        {
            if (done < batchSize)
            {
                done += await RewrapRecordsAsync(records, batchSize - done, cancellationToken);
            }
        }

        return done;
    }

    /// <summary>
    /// Rewraps up to <paramref name="batchSize"/> sealed records of one exchange table under the active version: only
    /// each record's own wrapped key changes, its sealed JSON stays as it is.
    /// </summary>
    private async Task<int> RewrapRecordsAsync((string Table, string Position, string Record) records, int batchSize, CancellationToken cancellationToken)
    {
        var (table, position, record) = records;
        var where = SealedUnderOther(record);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<Guid>();
        var positions = new List<int>();
        var rewrapped = new List<byte[]>();
        await using (var take = new NpgsqlCommand(
            $"SELECT request_id, {position}, {record} FROM {table} WHERE {where} ORDER BY request_id, {position} LIMIT @batch FOR UPDATE SKIP LOCKED",
            connection, transaction))
        {
            take.Parameters.AddWithValue("active", wrapping.ActiveVersion);
            take.Parameters.AddWithValue("batch", batchSize);
            await using var rows = await take.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                var id = rows.GetGuid(0);
                ids.Add(id);
                positions.Add(rows.GetInt32(1));
                rewrapped.Add(SealedExchangeRecord.Rewrap(wrapping, id, rows.GetFieldValue<byte[]>(2)));
            }
        }

        if (ids.Count > 0)
        {
            await using var put = new NpgsqlCommand(
                $"UPDATE {table} t SET {record} = r.record FROM unnest(@ids, @positions, @records) AS r (request_id, position, record) " +
                $"WHERE t.request_id = r.request_id AND t.{position} = r.position",
                connection, transaction);
            put.Parameters.AddWithValue("ids", ids.ToArray());
            put.Parameters.AddWithValue("positions", positions.ToArray());
            put.Parameters.AddWithValue("records", rewrapped.ToArray());
            await put.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids.Count;
    }

    private async Task<int> RewrapKeysAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<Guid>();
        var rewrapped = new List<byte[]>();
        await using (var take = new NpgsqlCommand(TakeSql, connection, transaction))
        {
            take.Parameters.AddWithValue("active", wrapping.ActiveVersion);
            take.Parameters.AddWithValue("batch", batchSize);
            await using var rows = await take.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                var id = rows.GetGuid(0);
                var dataKey = wrapping.Unwrap(id, new WrappedDataKey(rows.GetInt32(1), rows.GetFieldValue<byte[]>(2)));
                ids.Add(id);
                rewrapped.Add(wrapping.Wrap(id, dataKey).Bytes);
            }
        }

        if (ids.Count > 0)
        {
            await using var put = new NpgsqlCommand(PutSql, connection, transaction);
            put.Parameters.AddWithValue("active", wrapping.ActiveVersion);
            put.Parameters.AddWithValue("ids", ids.ToArray());
            put.Parameters.AddWithValue("wrapped", rewrapped.ToArray());
            await put.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids.Count;
    }

    /// <summary>How many data keys are wrapped under each master-key version.</summary>
    public async Task<ImmutableSortedDictionary<int, long>> CountByVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(CountSql);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var counts = ImmutableSortedDictionary.CreateBuilder<int, long>();
        while (await rows.ReadAsync(cancellationToken))
        {
            counts[rows.GetInt32(0)] = rows.GetInt64(1);
        }

        return counts.ToImmutable();
    }

    /// <summary>How many of the exchange's sealed records (commands, held changes) have their key under each master-key version.</summary>
    public async Task<ImmutableSortedDictionary<int, long>> CountExchangeRecordsByVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(CountRecordsSql);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var counts = ImmutableSortedDictionary.CreateBuilder<int, long>();
        while (await rows.ReadAsync(cancellationToken))
        {
            counts[rows.GetInt32(0)] = rows.GetInt64(1);
        }

        return counts.ToImmutable();
    }

    /// <summary>Rewraps batch after batch until none is left, saying how far it got.</summary>
    public async Task<int> RunAsync(TextWriter output, int batchSize = 500, CancellationToken cancellationToken = default)
    {
        var total = 0;
        int done;
        while ((done = await RewrapBatchAsync(batchSize, cancellationToken)) > 0)
        {
            total += done;
            output.WriteLine($"Rewrapped {total} data key(s) under master key version {wrapping.ActiveVersion}.");
        }

        static string Listed(ImmutableSortedDictionary<int, long> counts) =>
            counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"v{c.Key}: {c.Value}"));
        output.WriteLine($"Rotation done: {total} rewrapped; data keys by master key version: {Listed(await CountByVersionAsync(cancellationToken))}; "
            + $"exchange records by master key version: {Listed(await CountExchangeRecordsByVersionAsync(cancellationToken))}.");
        return total;
    }
}
