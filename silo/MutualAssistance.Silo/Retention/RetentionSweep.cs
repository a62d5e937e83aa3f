using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Audit;
using MutualAssistance.ReadSide.Queries;
using Npgsql;

namespace MutualAssistance.Silo.Retention;

/// <summary>
/// Erases what the law says may no longer be kept: every <see cref="RetentionSettings.SweepInterval"/> one silo of the
/// cluster (the one that takes the advisory lock) finds the ended requests whose retention period has passed on this
/// node (<see cref="RetentionCandidates"/>, limits from the <see cref="Domain.Retention.RetentionPolicy"/>) and asks
/// each grain to expire it; the grain decides by the same policy and destroys the data key. Each erasure is logged in
/// the consultation log as the node's own act (<c>request.erased</c>, purpose <see cref="Purpose"/>).
/// </summary>
public sealed partial class RetentionSweep(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    [FromKeyedServices(DeadlineTime.Key)] TimeProvider time,
    Microsoft.Extensions.Options.IOptions<RetentionSettings> options,
    Domain.Retention.RetentionPolicy policy,
    CurrentReferenceData referenceData,
    NodeMap nodes,
    AuditLogWriter audit,
    ILogger<RetentionSweep> logger) : BackgroundService
{
    /// <summary>The purpose the consultation log shows for an erasure at the end of the retention period.</summary>
    public const string Purpose = "retention period ended";

    private const long LockKey = 0x4D41_5245_544E; // "MARETN"

    private static readonly string[] FinalStatuses = [.. Lifecycle.Final.Select(s => WireNames.Of(s))];

    private readonly RetentionSettings settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or AuditLogUnavailableException)
            {
                LogSweepFailed(e.Message); // the next sweep finds what is still due
            }
        }
    }

    /// <summary>Sweeps once; returns how many requests it erased (0 when another silo holds the sweep).</summary>
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

        var limits = Limits(time.GetUtcNow());
        var erased = 0;
        var after = RetentionCandidates.Cursor.Start;
        while (true)
        {
            var page = await RetentionCandidates.Read(connection, FinalStatuses, limits, after, settings.BatchSize, cancellationToken);
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (candidate, token) =>
            {
                if (await grains.GetGrain<IAssistanceRequestGrain>(candidate.Id).ExpireRetention())
                {
                    Interlocked.Increment(ref erased);
                    await audit.Record(Erased(candidate.Id), token);
                }
            });
            if (page.Length < settings.BatchSize)
            {
                break;
            }

            after = page[^1].Cursor;
        }

        await transaction.CommitAsync(cancellationToken);
        if (erased > 0)
        {
            LogErased(erased);
        }

        return erased;
    }

    /// <summary>Per authority this node serves and legal basis: the latest end erasable now.</summary>
    private List<RetentionCandidates.Limit> Limits(DateTimeOffset now) =>
        [.. from authority in referenceData.Set.Authorities.All
            where nodes.ServesHere(authority.Code)
            from basis in referenceData.Set.Instruments.BasisCodes
            select new RetentionCandidates.Limit(authority.Code, basis, policy.LatestEndErasableAt(authority.State, basis, now))];

    private AuditEntry Erased(Guid requestId) => new()
    {
        At = time.GetUtcNow(),
        Subject = "node:" + nodes.NodeId,
        Action = AuditActions.RequestErased,
        RequestId = requestId,
        Parts = AuditParts.Request + ",reasons",
        Outcome = AuditOutcomes.Applied,
        Purpose = Purpose,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep erased the personal data of {Count} request(s) whose retention period had passed")]
    private partial void LogErased(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed: {Error}")]
    private partial void LogSweepFailed(string error);
}
