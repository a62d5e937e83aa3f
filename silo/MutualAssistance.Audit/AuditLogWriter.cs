using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace MutualAssistance.Audit;

/// <summary>
/// Writes the consultation and disclosure log with group commit: callers put entries on a queue; one loop takes
/// what has queued up (up to <see cref="MaxBatch"/> entries, or one larger submission) and appends it in one
/// statement and one round trip (<c>audit_append</c>, which links the batch into the chain under the head row's
/// lock). While a batch is in flight the next one gathers, so under load an entry costs a share of a round trip,
/// not one of its own; alone, one round trip.
/// <para>
/// <see cref="Record(AuditEntry, CancellationToken)"/> completes when the entry is committed and fails with
/// <see cref="AuditLogUnavailableException"/> when the batch could not be written: a reader of personal data awaits
/// it before serving anything. <see cref="Enqueue"/> only waits for room on the queue (log-ons, refusals,
/// disclosures already made): an entry that then fails to be written is reported in the log and counted
/// (<c>ma.audit.entries_lost</c>), never silently dropped. On shutdown the queue is closed and drained.
/// </para>
/// </summary>
public sealed partial class AuditLogWriter : BackgroundService
{
    /// <summary>The meter of the log's instruments (the application's own, which the telemetry exports).</summary>
    public const string MeterName = "MutualAssistance";

    /// <summary>Most entries appended in one round trip (a larger submission, a long list page, goes whole).</summary>
    public const int MaxBatch = 500;

    /// <summary>Most submissions waiting at once; beyond it callers wait for room (back pressure, not memory).</summary>
    public const int Capacity = 20_000;

    /// <summary>How long one append may take before its batch fails (503 for its readers).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    private const string AppendSql = """
        SELECT audit_append(@at, @subject, @authority, @role, @action, @request_id, @parts, @outcome, @purpose, @recipient, @source, @calls)
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<AuditLogWriter> logger;
    private readonly Histogram<int> batchEntries;
    private readonly Counter<long> lost;
    private readonly Counter<long> failedBatches;
    private readonly Channel<Submission> queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public AuditLogWriter(NpgsqlDataSource dataSource, IMeterFactory meters, ILogger<AuditLogWriter> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        var meter = meters.Create(MeterName);
        batchEntries = meter.CreateHistogram<int>("ma.audit.batch_entries", "{entry}", "Entries appended to the consultation log per round trip");
        failedBatches = meter.CreateCounter<long>("ma.audit.append_failures", "{batch}", "Batches the consultation log could not append");
        lost = meter.CreateCounter<long>("ma.audit.entries_lost", "{entry}", "Entries not awaited by their caller that could not be written");
    }

    /// <summary>Completes once <paramref name="entry"/> is committed; throws <see cref="AuditLogUnavailableException"/> when it cannot be.</summary>
    public Task Record(AuditEntry entry, CancellationToken cancellationToken) => Record([entry], cancellationToken);

    /// <summary>Completes once every entry is committed (in one batch); throws <see cref="AuditLogUnavailableException"/> when they cannot be.</summary>
    public async Task Record(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await queue.Writer.WriteAsync(new Submission(entries, committed), cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new AuditLogUnavailableException("The consultation log is stopping.", e);
        }

        await committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues <paramref name="entry"/> without awaiting its commit (a failure to write it is logged and counted).</summary>
    public async ValueTask Enqueue(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await queue.Writer.WriteAsync(new Submission([entry], null), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            lost.Add(1);
            LogLost(1, entry.Action, "the writer is stopping");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // What is queued is still written; the loop ends when the queue is empty.
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Submission>();
        // Not stoppingToken: on shutdown the queue is closed (StopAsync) and drained, so nothing awaited is left hanging.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            var count = 0;
            while (count < MaxBatch && queue.Reader.TryRead(out var submission))
            {
                batch.Add(submission);
                count += submission.Entries.Count;
            }

            await Write(batch, count);
        }
    }

    /// <summary>Appends one batch and completes its submissions: committed, or failed with the reason (none is left waiting).</summary>
    private async Task Write(List<Submission> batch, int count)
    {
        try
        {
            await Append(batch, count);
            batchEntries.Record(count);
        }
        catch (Exception e)
        {
            // Every waiting reader gets the failure (503 for a database that failed or timed out; anything else is a
            // fault of ours and reaches them as it is); entries nobody waits for are reported here.
            failedBatches.Add(1);
            var failure = e is NpgsqlException or TimeoutException
                ? new AuditLogUnavailableException($"The consultation log could not be written ({e.GetType().Name}).", e)
                : e;
            var unawaited = 0;
            foreach (var submission in batch)
            {
                if (submission.Committed is { } committed)
                {
                    committed.TrySetException(failure);
                }
                else
                {
                    unawaited += submission.Entries.Count;
                }
            }

            LogAppendFailed(count, e.GetType().Name, e.Message);
            if (unawaited > 0)
            {
                lost.Add(unawaited);
                LogLost(unawaited, string.Join(",", batch.Where(s => s.Committed is null).SelectMany(s => s.Entries).Select(x => x.Action).Distinct()), e.Message);
            }

            return;
        }

        foreach (var submission in batch)
        {
            submission.Committed?.TrySetResult();
        }
    }

    private async Task Append(List<Submission> batch, int count)
    {
        var at = new DateTimeOffset[count];
        var subject = new string?[count];
        var authority = new string?[count];
        var role = new string?[count];
        var action = new string[count];
        var requestId = new Guid?[count];
        var parts = new string?[count];
        var outcome = new string[count];
        var purpose = new string?[count];
        var recipient = new string?[count];
        var source = new string?[count];
        var calls = new int?[count];
        var i = 0;
        foreach (var entry in batch.SelectMany(s => s.Entries))
        {
            at[i] = entry.At.ToUniversalTime();
            subject[i] = entry.Subject;
            authority[i] = entry.Authority;
            role[i] = entry.Role;
            action[i] = entry.Action;
            requestId[i] = entry.RequestId;
            parts[i] = entry.Parts;
            outcome[i] = entry.Outcome;
            purpose[i] = entry.Purpose;
            recipient[i] = entry.Recipient;
            source[i] = entry.Source;
            calls[i] = entry.Calls;
            i++;
        }

        await using var command = dataSource.CreateCommand(AppendSql);
        command.CommandTimeout = (int)CommandTimeout.TotalSeconds;
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = at });
        command.Parameters.Add(Texts("subject", subject));
        command.Parameters.Add(Texts("authority", authority));
        command.Parameters.Add(Texts("role", role));
        command.Parameters.Add(Texts("action", action));
        command.Parameters.Add(new NpgsqlParameter<Guid?[]>("request_id", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = requestId });
        command.Parameters.Add(Texts("parts", parts));
        command.Parameters.Add(Texts("outcome", outcome));
        command.Parameters.Add(Texts("purpose", purpose));
        command.Parameters.Add(Texts("recipient", recipient));
        command.Parameters.Add(Texts("source", source));
        command.Parameters.Add(new NpgsqlParameter<int?[]>("calls", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = calls });
        await command.ExecuteScalarAsync(CancellationToken.None);
    }

    private static NpgsqlParameter<string?[]> Texts(string name, string?[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values };

    /// <summary>Entries from one caller, appended together; <see cref="Committed"/> is null when nobody awaits them.</summary>
    private sealed record Submission(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource? Committed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consultation log: a batch of {Count} entries could not be appended ({Error}: {Message}); its readers were answered 503")]
    private partial void LogAppendFailed(int count, string error, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consultation log: {Count} entries not awaited by their callers were lost ({Actions}): {Reason}")]
    private partial void LogLost(int count, string actions, string reason);
}
