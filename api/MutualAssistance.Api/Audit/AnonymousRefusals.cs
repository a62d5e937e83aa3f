using Microsoft.Extensions.Options;
using MutualAssistance.Audit;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// Calls refused before anyone was authenticated, counted per source (the client's address, <see cref="Security.ClientAddress"/>)
/// and status over a window (<see cref="AuditOptions.RefusalWindow"/>), then appended as ONE <c>access.refused</c>
/// entry per source and status carrying the count (<see cref="AuditEntry.Calls"/>) and the address
/// (<see cref="AuditEntry.Source"/>): a flood of anonymous calls grows the chained log by an entry per source and
/// window, not by one per call. An entry's time is the first counted call's. At most <see cref="MaxSources"/> sources
/// are told apart in one window (memory stays bounded whatever the addresses); the calls of any further source are
/// counted under none. What is counted when the host stops is appended then, before the log's writer stops.
/// </summary>
public sealed class AnonymousRefusals(AuditLogWriter writer, IOptions<AuditOptions> options, TimeProvider time) : BackgroundService
{
    /// <summary>Most sources told apart in one window.</summary>
    public const int MaxSources = 10_000;

    private readonly Lock gate = new();
    private Dictionary<(string? Source, int Status), int> counts = [];
    private DateTimeOffset firstCall;

    /// <summary>Counts one refused call from <paramref name="source"/> (null: unknown) with <paramref name="status"/>.</summary>
    public void Count(string? source, int status)
    {
        lock (gate)
        {
            if (counts.Count == 0)
            {
                firstCall = time.GetUtcNow();
            }

            var key = (source, status);
            if (!counts.ContainsKey(key) && counts.Count >= MaxSources)
            {
                key = (null, status);
            }

            var calls = counts.GetValueOrDefault(key);
            counts[key] = calls == int.MaxValue ? calls : calls + 1;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Window, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync appends what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Flush();
    }

    /// <summary>Appends the window's counts (without awaiting their commit, as every refusal) and starts the next window.</summary>
    private async Task Flush()
    {
        Dictionary<(string? Source, int Status), int> taken;
        DateTimeOffset at;
        lock (gate)
        {
            if (counts.Count == 0)
            {
                return;
            }

            (taken, at, counts) = (counts, firstCall, []);
        }

        foreach (var ((source, status), calls) in taken.OrderBy(c => c.Key.Status).ThenBy(c => c.Key.Source, StringComparer.Ordinal))
        {
            await writer.Enqueue(new AuditEntry
            {
                At = at,
                Action = AuditActions.AccessRefused,
                Outcome = AuditOutcomes.Refused(status),
                Source = source,
                Calls = calls,
            }, CancellationToken.None);
        }
    }
}
