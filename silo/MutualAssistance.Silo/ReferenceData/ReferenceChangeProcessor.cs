using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.ReadSide.Queries;
using Npgsql;

namespace MutualAssistance.Silo.ReferenceData;

/// <summary>
/// Carries a change of reference data to every open clock it can move, within seconds. On every silo, each
/// <see cref="ReferenceChangeOptions.PollInterval"/>: reload the declared closures when they changed. On the one
/// silo that takes the advisory lock: queue a recalculation for each part of the data files whose fingerprint
/// differs from the one last worked through (a deployment that changed a calendar, an authority or a policy), then
/// work the queue (<c>reference_changes</c>, also fed by closure changes in their own transaction): find the
/// requests with an open clock the change can move in the read model and ask each grain to recalculate. A grain
/// whose due times do not move writes nothing. A job interrupted by a crash is worked again (recalculating twice
/// moves nothing twice).
/// </summary>
public sealed partial class ReferenceChangeProcessor(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    CurrentReferenceData referenceData,
    IOptions<ReferenceChangeOptions> options,
    ILogger<ReferenceChangeProcessor> logger) : BackgroundService
{
    private const long LockKey = 0x4D41_5245_4643; // "MAREFC"

    /// <summary>The files do not change while the process runs: their fingerprints are compared once it holds the lock.</summary>
    private bool filesCompared;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The closures were loaded before the silo became active (ClosureLoader): the first look is one interval on.
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await referenceData.Refresh(stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OrleansException)
            {
                LogFailed(e.Message);
            }
        }
    }

    /// <summary>Queues what the files changed and works the queue; returns the number of jobs done (0 when another silo holds the lock).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        try
        {
            if (!filesCompared)
            {
                await QueueFileChanges(connection, referenceData.Set, cancellationToken);
                filesCompared = true;
            }

            var done = 0;
            while (await NextJob(connection, cancellationToken) is { } job)
            {
                var (examined, moved) = await Work(connection, job, cancellationToken);
                await using var finish = new NpgsqlCommand("UPDATE reference_changes SET done_at = now(), examined = @examined, moved = @moved WHERE id = @id", connection);
                finish.Parameters.AddWithValue("id", job.Id);
                finish.Parameters.AddWithValue("examined", examined);
                finish.Parameters.AddWithValue("moved", moved);
                await finish.ExecuteNonQueryAsync(cancellationToken);
                LogDone(job.Id, job.Scope, job.Key, examined, moved);
                done++;
            }

            return done;
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task QueueFileChanges(NpgsqlConnection connection, ReferenceDataSet data, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT key, digest FROM reference_fingerprints", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var changed = data.Fingerprints.Where(f => !stored.TryGetValue(f.Key, out var digest) || digest != f.Value).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (key, digest) in changed)
        {
            var (scope, what) = key.StartsWith(Fingerprint.CalendarPrefix, StringComparison.Ordinal) ? ("calendar", key[Fingerprint.CalendarPrefix.Length..])
                : key.StartsWith(Fingerprint.AuthorityPrefix, StringComparison.Ordinal) ? ("authority", key[Fingerprint.AuthorityPrefix.Length..])
                : ("policy", key[Fingerprint.PolicyPrefix.Length..]);
            await using (var queue = new NpgsqlCommand("INSERT INTO reference_changes (scope, key, reason) VALUES (@scope, @key, @reason)", connection, transaction))
            {
                queue.Parameters.AddWithValue("scope", scope);
                queue.Parameters.AddWithValue("key", what);
                queue.Parameters.AddWithValue("reason", $"reference data changed: {scope} {what} (data version {data.FilesVersion})");
                await queue.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var keep = new NpgsqlCommand(
                "INSERT INTO reference_fingerprints (key, digest, changed_at) VALUES (@key, @digest, now()) ON CONFLICT (key) DO UPDATE SET digest = EXCLUDED.digest, changed_at = now()",
                connection, transaction);
            keep.Parameters.AddWithValue("key", key);
            keep.Parameters.AddWithValue("digest", digest);
            await keep.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Job?> NextJob(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var next = new NpgsqlCommand(
            "SELECT id, scope, key, from_day, closures_at_least, reason FROM reference_changes WHERE done_at IS NULL ORDER BY id LIMIT 1", connection);
        await using var reader = await next.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Job(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3), reader.GetInt64(4), reader.GetString(5))
            : null;
    }

    private async Task<(int Examined, int Moved)> Work(NpgsqlConnection connection, Job job, CancellationToken cancellationToken)
    {
        await referenceData.CatchUp(job.ClosuresAtLeast, cancellationToken);
        var data = referenceData.Set;
        var cause = new Recalculation { Reason = job.Reason, ClosuresAtLeast = job.ClosuresAtLeast };
        var examined = 0;
        var moved = 0;
        var after = Guid.Empty;
        while (true)
        {
            var page = await Candidates(connection, job, data, after, cancellationToken);
            if (page.IsEmpty)
            {
                return (examined, moved);
            }

            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken }, async (id, _) =>
            {
                if (await grains.GetGrain<IAssistanceRequestGrain>(id).Recalculate(cause))
                {
                    Interlocked.Increment(ref moved);
                }
            });
            examined += page.Length;
            after = page[^1];
        }
    }

    /// <summary>The next page of requests with an open, ticking clock the change can move (a paused clock computes its due time when it resumes).</summary>
    private Task<ImmutableArray<Guid>> Candidates(NpgsqlConnection connection, Job job, ReferenceDataSet data, Guid after, CancellationToken cancellationToken)
    {
        var limit = options.Value.PageSize;
        return job.Scope switch
        {
            "calendar" => RecalculationCandidates.OfAuthorities(connection, [.. data.Authorities.All.Where(a => a.State == job.Key).Select(a => a.Code)], job.FromDay, after, limit, cancellationToken),
            "authority" => RecalculationCandidates.OfAuthorities(connection, [job.Key], job.FromDay, after, limit, cancellationToken),
            "policy" when data.Instruments.FindBasis(job.Key) is not null => RecalculationCandidates.OfLegalBasis(connection, job.Key, job.FromDay, after, limit, cancellationToken),
            _ => Task.FromResult(ImmutableArray<Guid>.Empty),
        };
    }

    private sealed record Job(long Id, string Scope, string Key, DateOnly? FromDay, long ClosuresAtLeast, string Reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference change {Id} ({Scope} {Key}): {Examined} request(s) examined, {Moved} moved")]
    private partial void LogDone(long id, string scope, string key, int examined, int moved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reference change processing failed: {Error}")]
    private partial void LogFailed(string error);
}
