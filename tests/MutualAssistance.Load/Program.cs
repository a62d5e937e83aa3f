using MutualAssistance.Load;
using MutualAssistance.Testing;

if (args is ["test-reference-data", var folder])
{
    // The deadlines run files EIO requests between KZ-GP and CN-MOJ for the EIO's 24-hour clock, which the shipped
    // catalogue refuses (neither state is bound by the EIO): it runs against the test suite's data (TestReferenceData).
    var target = Path.GetFullPath(folder);
    TestReferenceData.Write(Path.Combine("silo", "MutualAssistance.Silo", "ReferenceData"), target);
    Console.WriteLine($"Wrote the test reference data (the EIO and CETS 224 binding every state; test data, not law) to {target}.");
    Console.WriteLine($"Run the system on it: ReferenceData__Path={target} ./run.sh --release");
    return 0;
}

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

if (options.Mode == "exchange" && options.PeerPid is not null)
{
    var drain = await ExchangeRun.Drain(options, tokens);
    Console.WriteLine(drain.FromDatabase
        ? $"""

        drain: {drain.Requests} requests filed on KZ ({drain.FilingPerSecond}/s, {drain.FilingErrors} failed) while CN was stopped for {drain.OutageSeconds} s; {drain.PendingAtResume} pending at SIGCONT
          tried during the outage: {drain.TriedDuringOutage} (at most {drain.MaxAttempts} attempts; the last retry due {drain.LastRetryDueSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} s after SIGCONT)
          delivered after SIGCONT (KZ's receipts): first {drain.FirstDeliverySeconds} s, p50 {drain.P50DeliverySeconds} s, p99 {drain.P99DeliverySeconds} s, last {drain.LastDeliverySeconds} s
          the untried ones: last at {drain.LastUntriedDeliverySeconds} s, drain rate {drain.DrainPerSecond} envelopes/s (target >= 100/s); the tried ones: last at {drain.LastTriedDeliverySeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} s
          overall {drain.OverallPerSecond} envelopes/s from SIGCONT to the last; KZ's /health/exchange at 0 pending after {drain.HealthZeroSeconds} s
          on CN: {drain.SpotFound} of {drain.SpotChecked} spot-checked through its API, {drain.FoundOnCn} of {drain.Requests} in its database
        """
        : $"""

        drain: {drain.Requests} requests filed on KZ while CN was stopped for {drain.OutageSeconds} s; {drain.PendingAtResume} pending at SIGCONT;
          KZ's /health/exchange at 0 pending {drain.HealthZeroSeconds} s after SIGCONT (no database: no per-request times);
          on CN: {drain.SpotFound} of {drain.SpotChecked} spot-checked through its API
        """);
    if (options.JsonPath is { } drainJson)
    {
        await Report.Json(drainJson, drain);
    }

    return 0;
}

if (options.Mode == "exchange")
{
    var exchange = await ExchangeRun.Latency(options, tokens);
    static string Row(ExchangeRun.Direction d) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{d.Name,-46} {d.Count,7} {d.P50Ms,8:F1} {d.P90Ms,8:F1} {d.P99Ms,8:F1} {d.MaxMs,8:F1}");
    Console.WriteLine($"""

        exchange: {exchange.Connections} workers for {exchange.Seconds} s, polling every {exchange.PollEveryMs} ms (target p99 < 1000 ms)
        {"direction",-46} {"count",7} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8}
        {Row(exchange.KzToCn)}
        {Row(exchange.CnToKz)}
        {(exchange.ReceiptLagKzToCn is { } kzLag ? Row(kzLag) : "(no database: no receipt lag)")}
        {(exchange.ReceiptLagCnToKz is { } cnLag ? Row(cnLag) : "")}
        the workers' polls: {exchange.PollsPerSecondKz} GET/s on KZ, {exchange.PollsPerSecondCn} GET/s on CN
        changes seen on the peer: {exchange.ChangesSeenPerSecond}/s; envelopes acknowledged: KZ -> CN {exchange.EnvelopesKzToCn?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, CN -> KZ {exchange.EnvelopesCnToKz?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}: {exchange.EnvelopesPerSecond?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}/s
        errors: {(exchange.Errors.Count == 0 ? "-" : string.Join(", ", exchange.Errors.Select(e => $"{e.Key}: {e.Value}")))}
        pending in the outboxes while measuring (each second): at most KZ {exchange.MaxPendingKz}, CN {exchange.MaxPendingCn}
          KZ/CN: {string.Join(' ', exchange.PendingEachSecond.Select(p => $"{p[0]}/{p[1]}"))}
        pending 2 s after the run: KZ {exchange.KzAfter?.PendingRequests} requests / {exchange.KzAfter?.PendingCommands} commands, CN {exchange.CnAfter?.PendingRequests} / {exchange.CnAfter?.PendingCommands}
        """);
    if (exchange.Mix is { } beside)
    {
        Console.Write(Report.Table([beside], null, null));
    }

    if (options.JsonPath is { } exchangeJson)
    {
        await Report.Json(exchangeJson, exchange);
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
var parts = new List<PartResult>();
var operations = new (string Name, int Share, HttpLoad.Operation Run)[]
{
    ("file", file, system.FileOne), ("act", act, system.Act), ("get", get, system.Get), ("poll", poll, system.Poll), ("board", board, system.Board),
};
var started = DateTimeOffset.UtcNow;
if (operations.Count(o => o.Share > 0) > 1)
{
    Console.WriteLine($"mixed: file {file}%, act {act}%, get {get}%, poll {poll}% ...");
    parts.Add(await HttpLoad.Run("mixed", options.Connections, options.Warmup, options.Duration, system.Mixed(options.Mix)));
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
