using System.Threading.Channels;
using MutualAssistance.Grains.ReadModel;
using MutualAssistance.Grains.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.Silo.ReadModel;

/// <summary>
/// The silo's one writer of the read model. Grains hand it projections; it writes whatever has queued up while
/// the previous batch was in flight as one call of <c>readmodel_apply</c> (one transaction), and completes each
/// grain's call when its batch is committed. Under load many grains share a round trip; alone, a grain waits
/// for one.
/// </summary>
public sealed partial class PostgresReadModel(NpgsqlDataSource dataSource, RequestMetrics metrics, TimeProvider time, ILogger<PostgresReadModel> logger) : BackgroundService, IReadModel
{
    public const int MaxBatch = 500;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public async Task Apply(RequestProjection projection, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(projection, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ReadModelUnavailableException("The read-model writer has stopped.");
        }

        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes a batch directly (the rebuild command uses it).</summary>
    public async Task<int> WriteAsync(IReadOnlyCollection<RequestProjection> batch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT readmodel_apply(@batch)");
        command.Parameters.Add(new NpgsqlParameter("batch", NpgsqlDbType.Jsonb) { Value = ProjectionJson.Batch(batch) });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        // Drain what is queued even after stop is signalled: the grains are waiting for it.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await WriteAsync([.. batch.Select(p => p.Projection)], CancellationToken.None);
                var now = time.GetUtcNow();
                batch.ForEach(p => metrics.Projected(now - p.Projection.ChangedAt));
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogBatchFailed(batch.Count, e.Message);
                var failure = new ReadModelUnavailableException("The read model could not be written.", e);
                batch.ForEach(p => p.Done.TrySetException(failure));
            }

            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A read-model batch of {Count} failed: {Error}; the grains keep their updates pending")]
    private partial void LogBatchFailed(int count, string error);

    private sealed record Pending(RequestProjection Projection, TaskCompletionSource Done);
}
