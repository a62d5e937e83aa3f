using System.Collections.Immutable;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.ReferenceData;
using NodaTime;
using Npgsql;

namespace MutualAssistance.Persistence;

/// <summary>
/// The declared closures in PostgreSQL (migration 0009): a change writes the closure, its log entry and the
/// recalculation it owes (a <c>reference_changes</c> row) in one transaction.
/// </summary>
public sealed class PostgresCalendarClosures(NpgsqlDataSource dataSource) : ICalendarClosureStore
{
    public async Task<(ImmutableArray<DeclaredClosure> Closures, long Sequence)> ReadAll(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var sequence = await Latest(connection, transaction, cancellationToken);
        var closures = ImmutableArray.CreateBuilder<DeclaredClosure>();
        await using (var read = new NpgsqlCommand(
            "SELECT state, day, reason, declared_by, declared_by_authority, declared_at, region FROM calendar_closures ORDER BY state, day, region", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                closures.Add(new DeclaredClosure(
                    reader.GetString(0), LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(1)), reader.GetString(2),
                    reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), Region(reader.GetString(6))));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (closures.ToImmutable(), sequence);
    }

    public async Task<long> LatestSequence(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Latest(connection, null, cancellationToken);
    }

    public async Task<ClosureChange?> Declare(DeclaredClosure closure, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string? previousReason;
        await using (var find = new NpgsqlCommand("SELECT reason FROM calendar_closures WHERE state = @state AND day = @day AND region = @region FOR UPDATE", connection, transaction))
        {
            find.Parameters.AddWithValue("state", closure.State);
            find.Parameters.AddWithValue("day", closure.Date.ToDateOnly());
            find.Parameters.AddWithValue("region", closure.Region ?? string.Empty);
            previousReason = (string?)await find.ExecuteScalarAsync(cancellationToken);
        }

        if (previousReason == closure.Reason)
        {
            return null;
        }

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO calendar_closures (state, day, reason, declared_by, declared_by_authority, declared_at, region)
            VALUES (@state, @day, @reason, @by, @authority, @at, @region)
            ON CONFLICT (state, day, region) DO UPDATE SET reason = EXCLUDED.reason, declared_by = EXCLUDED.declared_by,
                declared_by_authority = EXCLUDED.declared_by_authority, declared_at = EXCLUDED.declared_at
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("state", closure.State);
            upsert.Parameters.AddWithValue("day", closure.Date.ToDateOnly());
            upsert.Parameters.AddWithValue("reason", closure.Reason);
            upsert.Parameters.AddWithValue("by", closure.DeclaredBy);
            upsert.Parameters.AddWithValue("authority", closure.DeclaredByAuthority);
            upsert.Parameters.AddWithValue("at", closure.DeclaredAt);
            upsert.Parameters.AddWithValue("region", closure.Region ?? string.Empty);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        var change = previousReason is null ? "declared" : "reason-changed";
        var sequence = await Log(connection, transaction, closure.State, closure.Date, closure.Region, change, closure.Reason, closure.DeclaredBy, closure.DeclaredByAuthority, closure.DeclaredAt, cancellationToken);
        if (previousReason is null)
        {
            await Queue(connection, transaction, closure.State, closure.Date, sequence,
                $"{Where(closure.State, closure.Region)} declared {closure.Date:yyyy-MM-dd} closed ({closure.Reason}) - {closure.DeclaredBy}, {closure.DeclaredByAuthority}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ClosureChange(sequence, closure);
    }

    public async Task<ClosureChange?> Remove(string state, LocalDate date, string by, string byAuthority, DateTimeOffset at, CancellationToken cancellationToken, string? region = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        DeclaredClosure? removed = null;
        await using (var delete = new NpgsqlCommand(
            "DELETE FROM calendar_closures WHERE state = @state AND day = @day AND region = @region RETURNING reason, declared_by, declared_by_authority, declared_at", connection, transaction))
        {
            delete.Parameters.AddWithValue("state", state);
            delete.Parameters.AddWithValue("day", date.ToDateOnly());
            delete.Parameters.AddWithValue("region", region ?? string.Empty);
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                removed = new DeclaredClosure(state, date, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), region);
            }
        }

        if (removed is null)
        {
            return null;
        }

        var sequence = await Log(connection, transaction, state, date, region, "removed", null, by, byAuthority, at, cancellationToken);
        await Queue(connection, transaction, state, date, sequence, $"{Where(state, region)} withdrew the closure of {date:yyyy-MM-dd} ({removed.Reason}) - {by}, {byAuthority}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ClosureChange(sequence, removed);
    }

    private static async Task<long> Latest(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var latest = new NpgsqlCommand("SELECT coalesce(max(sequence), 0) FROM calendar_closure_changes", connection, transaction);
        return (long)(await latest.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string? Region(string stored) => stored.Length == 0 ? null : stored;

    private static string Where(string state, string? region) => region is null ? state : $"{state} ({region})";

    private static async Task<long> Log(NpgsqlConnection connection, NpgsqlTransaction transaction, string state, LocalDate date, string? region, string change, string? reason,
        string by, string byAuthority, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var log = new NpgsqlCommand(
            """
            INSERT INTO calendar_closure_changes (state, day, change, reason, changed_by, changed_by_authority, changed_at, region)
            VALUES (@state, @day, @change, @reason, @by, @authority, @at, @region) RETURNING sequence
            """, connection, transaction);
        log.Parameters.AddWithValue("state", state);
        log.Parameters.AddWithValue("day", date.ToDateOnly());
        log.Parameters.AddWithValue("change", change);
        log.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        log.Parameters.AddWithValue("by", by);
        log.Parameters.AddWithValue("authority", byAuthority);
        log.Parameters.AddWithValue("at", at);
        log.Parameters.AddWithValue("region", region ?? string.Empty);
        return (long)(await log.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task Queue(NpgsqlConnection connection, NpgsqlTransaction transaction, string state, LocalDate date, long sequence, string reason, CancellationToken cancellationToken)
    {
        await using var queue = new NpgsqlCommand(
            "INSERT INTO reference_changes (scope, key, from_day, closures_at_least, reason) VALUES ('calendar', @state, @from, @sequence, @reason)", connection, transaction);
        queue.Parameters.AddWithValue("state", state);

        // A clock whose period ended before the closed day cannot move; a day's margin covers every zone.
        queue.Parameters.AddWithValue("from", date.PlusDays(-1).ToDateOnly());
        queue.Parameters.AddWithValue("sequence", sequence);
        queue.Parameters.AddWithValue("reason", reason);
        await queue.ExecuteNonQueryAsync(cancellationToken);
    }
}
