using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace MutualAssistance.Load;

/// <summary>
/// The machine's own limits, measured in the same run: pgbench's single-row upsert at the same concurrency on
/// the same PostgreSQL, and a bare minimal-API endpoint loaded by the same client code.
/// </summary>
public static partial class Baselines
{
    public static async Task<PartResult?> Pgbench(string connectionString, int connections, TimeSpan duration)
    {
        var pgbench = FindPgbench();
        if (pgbench is null)
        {
            Console.Error.WriteLine("pgbench not found (Debian: postgresql-15); skipping the database baseline.");
            return null;
        }

        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS load_upsert (id int PRIMARY KEY, n bigint NOT NULL)", setup);
            await create.ExecuteNonQueryAsync();
        }

        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "\\set id random(1, 100000)\nINSERT INTO load_upsert (id, n) VALUES (:id, 1) ON CONFLICT (id) DO UPDATE SET n = load_upsert.n + 1;\n");
        var db = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-n", "-c", connections.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "-f", script, "-h", db.Host!, "-p", db.Port.ToString(CultureInfo.InvariantCulture), "-U", db.Username!, db.Database! })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        var tps = TpsPattern().Match(output);
        var latency = LatencyPattern().Match(output);
        if (!tps.Success)
        {
            Console.Error.WriteLine("pgbench failed:\n" + output);
            return null;
        }

        var perSecond = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
        var average = latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        return new PartResult("pgbench upsert", connections, duration.TotalSeconds, (long)(perSecond * duration.TotalSeconds), Math.Round(perSecond, 1),
            average, double.NaN, double.NaN, double.NaN, new Dictionary<string, long>());
    }

    /// <summary>Hosts GET /bare on loopback in this process and loads it like the API.</summary>
    public static async Task<PartResult> BareEndpoint(int connections, TimeSpan warmup, TimeSpan duration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/bare", () => "ok");
        await app.StartAsync();
        var address = app.Urls.First();
        using var http = Client(new Uri(address), connections);
        return await HttpLoad.Run("bare GET", connections, warmup, duration, async (_, cancel) =>
        {
            using var response = await http.GetAsync("/bare", cancel);
            await response.Content.LoadIntoBufferAsync(cancel);
            return (int)response.StatusCode;
        });
    }

    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static string? FindPgbench()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")) : []))
        {
            var candidate = Path.Combine(directory, "pgbench");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyPattern();
}
