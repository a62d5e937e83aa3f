using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace MutualAssistance.Load;

/// <summary>
/// Runs N workers for a warm-up and then a measured time; each calls its operation in a loop and every call's
/// latency goes into a shared HdrHistogram (ticks, 3 significant digits). A call that throws or whose status is
/// not the expected counts as an error under its status ("connection", "client timeout" when no answer came).
/// </summary>
public static class HttpLoad
{
    public delegate Task<int> Operation(int worker, CancellationToken cancellationToken);

    public static async Task<PartResult> Run(string name, int connections, TimeSpan warmup, TimeSpan duration, Operation operation)
    {
        var histogram = new LongConcurrentHistogram(1, TimeSpan.TicksPerMinute, 3);
        var errors = new ConcurrentDictionary<string, long>();
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var watch = new Stopwatch();

        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    var status = await operation(worker, stop.Token);
                    if (status >= 400)
                    {
                        error = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException e)
                {
                    error = e.StatusCode?.ToString() ?? "connection";
                }
                catch (TaskCanceledException)
                {
                    error = "client timeout"; // no answer within the HttpClient's 30 s
                }

                if (Volatile.Read(ref measuring))
                {
                    if (error is null)
                    {
                        histogram.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(started).Ticks));
                    }
                    else
                    {
                        errors.AddOrUpdate(error, 1, (_, n) => n + 1);
                    }
                }
            }
        })).ToArray();

        await Task.Delay(warmup);
        Volatile.Write(ref measuring, true);
        watch.Start();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        watch.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return PartResult.From(name, connections, watch.Elapsed, histogram, errors);
    }
}
