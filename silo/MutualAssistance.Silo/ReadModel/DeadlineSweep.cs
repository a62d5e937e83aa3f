using Microsoft.Extensions.Options;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Grains.Telemetry;
using MutualAssistance.ReadSide.Queries;
using Npgsql;

namespace MutualAssistance.Silo.ReadModel;

/// <summary>
/// The safety net under the reminders: every <see cref="SweepOptions.Interval"/> one silo of the cluster (the
/// one that takes the advisory lock) finds the requests whose next clock event is overdue by more than
/// <see cref="SweepOptions.Grace"/> and wakes them. A request woken needlessly records nothing; one whose
/// reminder was lost, or whose tick was skipped, records what fell due.
/// </summary>
public sealed partial class DeadlineSweep(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    [FromKeyedServices(DeadlineTime.Key)] TimeProvider time,
    IOptions<SweepOptions> options,
    RequestMetrics metrics,
    ILogger<DeadlineSweep> logger) : BackgroundService
{
    private const long LockKey = 0x4D41_5357_4545; // "MASWEE"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogSweepFailed(e.Message);
            }
        }
    }

    /// <summary>Sweeps once; returns how many requests were woken (0 when another silo holds the sweep).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({LockKey})", connection, transaction))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        var overdue = await SweepQueries.Overdue(connection, transaction, time.GetUtcNow() - options.Value.Grace, options.Value.BatchSize, cancellationToken);
        await Parallel.ForEachAsync(overdue, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, _) => await grains.GetGrain<IAssistanceRequestGrain>(id).Wake());
        if (overdue.Count > 0)
        {
            LogWoken(overdue.Count);
        }

        var open = await SweepQueries.OpenClocks(connection, transaction, cancellationToken);
        metrics.OpenClocks(open);
        await transaction.CommitAsync(cancellationToken);
        return overdue.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline sweep woke {Count} request(s) with an overdue clock event")]
    private partial void LogWoken(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline sweep failed: {Error}")]
    private partial void LogSweepFailed(string error);
}
