using System.Collections.Concurrent;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Continuous versioned actions (partially-execute, naming the version last seen, as an HTTP caller's If-Match
/// does) on requests in execution, one worker per request, counting what was acknowledged as applied and what
/// was cut off by a failure (which may or may not have landed). A retry of a landed action gets VersionMismatch,
/// never a second application.
/// </summary>
public sealed class VersionedLoad : IAsyncDisposable
{
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    private readonly ConcurrentDictionary<Guid, int> applied = new();
    private readonly ConcurrentDictionary<Guid, int> ambiguous = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] workers;

    /// <param name="requests">Requests in an execution status at version <paramref name="version"/>.</param>
    public VersionedLoad(IEnumerable<IAssistanceRequestGrain> requests, int version)
    {
        workers = [.. requests.Select(grain => Task.Run(() => Work(grain, version)))];
    }

    public int Applied => applied.Values.Sum();

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    /// <summary>Each request's history holds every acknowledged action once, and nothing beyond the cut-off calls.</summary>
    public async Task AssertNothingLostOrDoubled(IEnumerable<IAssistanceRequestGrain> requests, int startVersion)
    {
        foreach (var grain in requests)
        {
            var id = grain.GetPrimaryKey();
            var recorded = (await grain.History()).Count(e => e.Event == "partially-execute");
            Assert.InRange(recorded, applied.GetValueOrDefault(id), applied.GetValueOrDefault(id) + ambiguous.GetValueOrDefault(id));
            Assert.Equal(startVersion + recorded, (await grain.Get(null))!.Version);
            Assert.True((await grain.VerifyHistory()).Intact);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private async Task Work(IAssistanceRequestGrain grain, int version)
    {
        var id = grain.GetPrimaryKey();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var result = await grain.Act(new ActionCommand { Action = RequestAction.PartiallyExecute, ExpectedVersion = version }, Handler);
                if (result.Outcome == ActionOutcome.Applied)
                {
                    applied.AddOrUpdate(id, 1, (_, n) => n + 1);
                    version = result.Request!.Version;
                }
                else if (result.Outcome == ActionOutcome.VersionMismatch)
                {
                    version = (await grain.Get(null))!.Version;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The silo died or left during the call: it may or may not have applied.
                ambiguous.AddOrUpdate(id, 1, (_, n) => n + 1);
                await Task.Delay(50);
            }
        }
    }
}
