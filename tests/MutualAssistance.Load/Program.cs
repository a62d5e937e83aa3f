using MutualAssistance.Load;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (args is ["help" or "--help" or "-h"])
{
    Console.WriteLine(LoadOptions.Help);
    return 0;
}

var tokens = Tokens.From(options);
if (options.Mode == "deadlines")
{
    var deadlines = await DeadlineRun.Run(options, tokens);
    Console.WriteLine($"""
        deadlines: {deadlines.Requests} open requests filed at {deadlines.FilingPerSecond}/s; {deadlines.Recorded} breaches recorded
        lateness (due -> recorded): p50 {deadlines.P50Seconds} s, p99 {deadlines.P99Seconds} s, max {deadlines.MaxSeconds} s (target p99 < 5 s)
        silo RSS {deadlines.SiloRssBeforeBytes / 1048576} MiB -> {deadlines.SiloRssAfterBytes / 1048576} MiB: {deadlines.BytesPerOpenRequest} bytes per open (active) request
        """);
    if (options.JsonPath is { } deadlineJson)
    {
        await Report.Json(deadlineJson, deadlines);
    }

    return 0;
}

using var http = Baselines.Client(options.Url, options.Connections);
var system = new SystemUnderLoad(http, tokens, options.Connections);
Console.WriteLine($"preparing {options.Connections * 8} requests at {options.Url} ...");
await system.Prepare(CancellationToken.None);

if (options.Mode == "growth")
{
    var growth = await GrowthRun.Run(options, system);
    Console.WriteLine($"growth: {growth.Clients} client(s), {growth.Actions} actions each on one request; errors {growth.Errors}");
    Console.WriteLine("actions        count   p50 ms   p90 ms   p99 ms");
    foreach (var band in growth.Bands)
    {
        Console.WriteLine($"{band.Actions,-12} {band.Count,7} {band.P50Ms,8} {band.P90Ms,8} {band.P99Ms,8}");
    }

    if (options.JsonPath is { } growthJson)
    {
        await Report.Json(growthJson, growth);
    }

    return 0;
}

if (options.Mode == "failover")
{
    var failover = await FailoverRun.Run(options, tokens, http, system);
    Console.WriteLine($"""
        failover: {failover.Affected} of {failover.Probed} probed requests affected by the kill; time from the kill to their first success:
          p50 {failover.P50Seconds} s, p90 {failover.P90Seconds} s, max {failover.MaxSeconds} s (target < 10 s); never recovered: {failover.NeverRecovered}
          probe answers: {string.Join(", ", failover.ProbeAnswers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}
        """);
    Console.Write(Report.Table([failover.Mix], null, null));
    if (options.JsonPath is { } failoverJson)
    {
        await Report.Json(failoverJson, failover);
    }

    return 0;
}

var (file, act, get, poll, board) = options.Mix;
var total = file + act + get + poll + board;
var parts = new List<PartResult>();
var operations = new (string Name, int Share, HttpLoad.Operation Run)[]
{
    ("file", file, system.FileOne), ("act", act, system.Act), ("get", get, system.Get), ("poll", poll, system.Poll), ("board", board, system.Board),
};
var started = DateTimeOffset.UtcNow;
if (operations.Count(o => o.Share > 0) > 1)
{
    Console.WriteLine($"mixed: file {file}%, act {act}%, get {get}%, poll {poll}% ...");
    parts.Add(await HttpLoad.Run("mixed", options.Connections, options.Warmup, options.Duration, (worker, cancel) =>
    {
        var pick = Random.Shared.Next(total);
        foreach (var (_, share, run) in operations)
        {
            if (pick < share)
            {
                return run(worker, cancel);
            }

            pick -= share;
        }

        return operations[^1].Run(worker, cancel);
    }));
}

foreach (var (name, share, run) in operations.Where(o => o.Share > 0))
{
    Console.WriteLine($"{name} alone ...");
    parts.Add(await HttpLoad.Run(name, options.Connections, options.Warmup, options.Duration, run));
}

// The read model's lag over the run: from a change in a grain to its row (both timestamps are the database's and the silo's clocks, on this machine).
double? lagP99 = null;
if (options.ConnectionString is { } database)
{
    await using var connection = new Npgsql.NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var lag = new Npgsql.NpgsqlCommand(
        "SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM projected_at - changed_at)) FROM request_summaries WHERE changed_at >= @started", connection);
    lag.Parameters.AddWithValue("started", started);
    lagP99 = await lag.ExecuteScalarAsync() is double seconds ? Math.Round(seconds, 3) : null;
    Console.WriteLine(lagP99 is null
        ? "read-model lag: no request changed during the run"
        : $"read-model lag p99 over the run: {lagP99} s (target < 1 s)");
}

PartResult? pgbench = null;
PartResult? bare = null;
if (options.Baselines)
{
    Console.WriteLine("pgbench single-row upsert ...");
    pgbench = await Baselines.Pgbench(options.ConnectionString!, options.Connections, options.Duration);
    Console.WriteLine("bare minimal-API GET ...");
    bare = await Baselines.BareEndpoint(options.Connections, options.Warmup, options.Duration);
}

Console.WriteLine();
Console.Write(Report.Table(parts, pgbench, bare));
if (options.JsonPath is { } json)
{
    await Report.Json(json, new { options.Url, options.Connections, parts, pgbench, bare, readModelLagP99Seconds = lagP99, ratios = Report.Ratios(parts, pgbench, bare).ToDictionary(r => r.Name, r => r.Ratio) });
}

return 0;
