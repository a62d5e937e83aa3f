using HdrHistogram;

namespace MutualAssistance.Load;

/// <summary>What one part of a run measured: operations, throughput, latency percentiles and errors by status.</summary>
public sealed record PartResult(string Name, int Connections, double Seconds, long Operations, double PerSecond,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, IReadOnlyDictionary<string, long> Errors)
{
    public static PartResult From(string name, int connections, TimeSpan elapsed, HistogramBase latencies, IReadOnlyDictionary<string, long> errors)
    {
        static double Ms(long ticks) => ticks / (double)TimeSpan.TicksPerMillisecond;
        var count = latencies.TotalCount;
        return new PartResult(name, connections, Math.Round(elapsed.TotalSeconds, 1), count, Math.Round(count / elapsed.TotalSeconds, 1),
            Math.Round(Ms(latencies.GetValueAtPercentile(50)), 2), Math.Round(Ms(latencies.GetValueAtPercentile(90)), 2),
            Math.Round(Ms(latencies.GetValueAtPercentile(99)), 2), Math.Round(Ms(latencies.GetMaxValue()), 2), errors);
    }
}
