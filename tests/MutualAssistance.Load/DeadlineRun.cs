using System.Globalization;
using System.Net.Http.Headers;
using HdrHistogram;
using Npgsql;

namespace MutualAssistance.Load;

/// <summary>
/// Files N open EIO requests asking to freeze assets, received so that their 24-hour provisional-measures clocks
/// fall due spread across a window that starts after filing (on the test reference data, where the EIO binds KZ and CN:
/// <c>test-reference-data DIR</c>, then <c>ReferenceData__Path=DIR ./run.sh</c>; the shipped catalogue refuses the EIO
/// between them); waits for the window to pass; then reads from the
/// read model how late each breach was recorded after it fell due (the recording time is the request's last
/// change, since nothing else happens to it), and how much the silo's memory grew per open request.
/// </summary>
public static class DeadlineRun
{
    public sealed record Result(int Requests, double FilingPerSecond, int Recorded, double P50Seconds, double P99Seconds, double MaxSeconds,
        long SiloRssBeforeBytes, long SiloRssAfterBytes, double BytesPerOpenRequest);

    public static async Task<Result> Run(LoadOptions options, Tokens tokens)
    {
        var marker = "deadline-run-" + Guid.NewGuid().ToString("N")[..8];
        using var http = Baselines.Client(options.Url, options.Connections);
        var filer = new AuthenticationHeaderValue("Bearer", tokens.For("KZ-GP", "filer"));
        var rssBefore = SiloRss();

        // Filing budget: assume at least 300 filings a second, plus a margin; the window starts after it.
        var windowStart = DateTimeOffset.UtcNow + TimeSpan.FromSeconds((options.Requests / 300.0) + 30);
        var step = options.Window / Math.Max(1, options.Requests);
        var next = -1;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.Requests)
            {
                var due = windowStart + (step * i);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests")
                {
                    Headers = { Authorization = filer },
                    Content = JsonContent.Create(new
                    {
                        requestingAuthority = "KZ-GP", requestedAuthority = "CN-MOJ", legalBasis = "eio",
                        assistanceTypes = new[] { "freezing-assets" }, subject = marker, summaryOfFacts = "Deadline run.",
                        receivedAt = due - TimeSpan.FromHours(24),
                    }),
                };
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"filing {i}: {(int)response.StatusCode} {(response.StatusCode == System.Net.HttpStatusCode.BadRequest ? await response.Content.ReadAsStringAsync() : string.Empty)}");
                }
            }
        }));
        var filingPerSecond = options.Requests / watch.Elapsed.TotalSeconds;
        var rssAfter = SiloRss();
        Console.WriteLine($"filed {options.Requests} in {watch.Elapsed.TotalSeconds:F0} s ({filingPerSecond:F0}/s); waiting for the window to pass");

        var windowEnd = windowStart + options.Window + TimeSpan.FromSeconds(40);
        if (windowStart < DateTimeOffset.UtcNow)
        {
            Console.Error.WriteLine("filing overran the window's start; the earliest clocks fell due while filing");
        }

        var wait = windowEnd - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var lateness = new LongHistogram(TimeSpan.TicksPerHour, 3);
        var recorded = 0;
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT s.changed_at - c.breached_at FROM request_summaries s JOIN request_clocks c ON c.request_id = s.request_id
             WHERE s.subject = @marker AND c.kind = 'provisional-measures' AND c.breached_at IS NOT NULL
            """, connection);
        command.Parameters.AddWithValue("marker", marker);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lateness.RecordValue(Math.Max(1, reader.GetTimeSpan(0).Ticks));
            recorded++;
        }

        static double S(long ticks) => Math.Round(ticks / (double)TimeSpan.TicksPerSecond, 2);
        return new Result(options.Requests, Math.Round(filingPerSecond, 1), recorded,
            S(lateness.GetValueAtPercentile(50)), S(lateness.GetValueAtPercentile(99)), S(lateness.GetMaxValue()),
            rssBefore, rssAfter, Math.Round((rssAfter - rssBefore) / (double)options.Requests, 1));
    }

    /// <summary>The resident memory of the silo process(es) on this machine, summed (0 when none is found).</summary>
    private static long SiloRss()
    {
        long total = 0;
        foreach (var process in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(process, "cmdline")).Contains("MutualAssistance.Silo.dll", StringComparison.Ordinal))
                {
                    var line = File.ReadLines(Path.Combine(process, "status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total;
    }
}
