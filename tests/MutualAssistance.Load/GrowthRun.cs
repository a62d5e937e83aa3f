using System.Diagnostics;
using HdrHistogram;

namespace MutualAssistance.Load;

/// <summary>
/// Whether a durable action costs more as a request's history grows: each of the clients takes <c>--actions</c>
/// actions one after the other on one request of its own, and the latency of the first, middle and last 50 actions
/// (across clients) are compared. With the history inside the stored state, each write carried it whole.
/// </summary>
public static class GrowthRun
{
    private const int Bucket = 50;

    public sealed record Result(int Clients, int Actions, IReadOnlyList<Band> Bands, int Errors);

    public sealed record Band(string Actions, long Count, double P50Ms, double P90Ms, double P99Ms);

    public static async Task<Result> Run(LoadOptions options, SystemUnderLoad system)
    {
        var n = Math.Max(options.Actions, 3 * Bucket);
        var starts = new[] { 0, n / 2 - Bucket / 2, n - Bucket };
        var histograms = starts.Select(_ => new LongHistogram(TimeStamp.Minutes(1), 3)).ToArray();
        var errors = 0;
        await Parallel.ForAsync(0, options.Connections, new ParallelOptions { MaxDegreeOfParallelism = options.Connections }, async (worker, cancel) =>
        {
            for (var i = 0; i < n; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await system.ActOn(worker, 0, cancel);
                var elapsed = Stopwatch.GetTimestamp() - started;
                if (status != 200)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                for (var b = 0; b < starts.Length; b++)
                {
                    if (i >= starts[b] && i < starts[b] + Bucket)
                    {
                        lock (histograms[b])
                        {
                            histograms[b].RecordValue(elapsed);
                        }
                    }
                }
            }
        });

        double Ms(LongHistogram h, double percentile) => Math.Round(h.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency, 2);
        var bands = starts.Select((start, b) => new Band($"{start + 1}-{start + Bucket}", histograms[b].TotalCount,
            Ms(histograms[b], 50), Ms(histograms[b], 90), Ms(histograms[b], 99))).ToList();
        return new Result(options.Connections, n, bands, errors);
    }
}
