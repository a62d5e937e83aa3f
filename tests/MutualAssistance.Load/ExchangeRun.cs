using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HdrHistogram;
using Npgsql;

namespace MutualAssistance.Load;

/// <summary>
/// The exchange between two nodes (<c>./run.sh --federation</c>): node KZ, where KZ-GP files, and node CN, which
/// orders the request's events and where CN-MOJ acts.
/// <para>
/// Latency (the default): each of <c>--connections</c> workers, in a loop, files a request on KZ and polls CN
/// (every <c>--poll-every</c>) until the request is there (KZ → CN: from the 201 to the first 200), then
/// acknowledges it on CN and polls KZ until it shows "acknowledged" (CN → KZ: from the 200 to that GET). A time
/// is what a client sees, so it includes up to one poll interval and one GET. Times are recorded for the steps that
/// began in the measured window; the steps in flight at its end run to completion, so the slowest are not dropped.
/// Envelopes are counted from the receipts each sender keeps (<c>exchange_receipts</c> of each node's database).
/// With <c>--beside-mix N</c> the mixed load runs at the same time with N more callers: filing on KZ, acting,
/// reading and polling the board on CN, so its filings and actions are envelopes too.
/// </para>
/// <para>
/// Drain (with <c>--peer-pid</c>, node CN's silo): SIGSTOP it, file <c>--backlog</c> requests on KZ, keep it stopped
/// until <c>--outage</c> has passed, SIGCONT it and measure until KZ's <c>/health/exchange</c> has nothing pending,
/// separating the wait before the first delivery and the rows the relay had tried (and backed off) from the rate
/// at which the rest went.
/// </para>
/// </summary>
public static class ExchangeRun
{
    private const string Filer = "KZ-GP";
    private const string Handler = "CN-MOJ";
    private static readonly TimeSpan VisibleWithin = TimeSpan.FromSeconds(30);

    public sealed record Direction(string Name, long Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
    {
        public static Direction From(string name, HistogramBase h)
        {
            static double Ms(long ticks) => Math.Round(ticks / (double)TimeSpan.TicksPerMillisecond, 1);
            return h.TotalCount == 0
                ? new Direction(name, 0, double.NaN, double.NaN, double.NaN, double.NaN)
                : new Direction(name, h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)), Ms(h.GetMaxValue()));
        }
    }

    public sealed record LatencyResult(int Connections, double Seconds, int PollEveryMs, Direction KzToCn, Direction CnToKz,
        double ChangesSeenPerSecond, long? EnvelopesKzToCn, long? EnvelopesCnToKz, double? EnvelopesPerSecond,
        Direction? ReceiptLagKzToCn, Direction? ReceiptLagCnToKz, double PollsPerSecondKz, double PollsPerSecondCn,
        long MaxPendingKz, long MaxPendingCn, IReadOnlyList<long[]> PendingEachSecond, IReadOnlyDictionary<string, long> Errors, PartResult? Mix, Backlog? KzAfter, Backlog? CnAfter);

    public sealed record Backlog(long PendingRequests, long PendingCommands, DateTimeOffset? OldestPendingSince);

    public sealed record DrainResult(int Requests, int FilingErrors, double FilingSeconds, double FilingPerSecond, double OutageSeconds,
        long PendingAtResume, int TriedDuringOutage, int MaxAttempts, double? LastRetryDueSeconds,
        double FirstDeliverySeconds, double P50DeliverySeconds, double P99DeliverySeconds, double LastDeliverySeconds,
        double? LastUntriedDeliverySeconds, double? LastTriedDeliverySeconds, double DrainPerSecond, double OverallPerSecond,
        double? HealthZeroSeconds, int SpotChecked, int SpotFound, long? FoundOnCn, bool FromDatabase);

    // ---- latency ----

    public static async Task<LatencyResult> Latency(LoadOptions options, Tokens tokens)
    {
        var workers = options.Connections;
        using var kz = Baselines.Client(options.Url, workers);
        using var cn = Baselines.Client(options.CnUrl, workers);
        var filers = Enumerable.Range(0, workers).Select(w => Bearer(tokens.For(Filer, "filer", w))).ToArray();
        var handlers = Enumerable.Range(0, workers).Select(w => Bearer(tokens.For(Handler, "handler", w))).ToArray();
        await Ready(kz, "KZ");
        await Ready(cn, "CN");

        // The mixed load beside it, prepared before the clock starts (filed on KZ, accepted on CN once arrived there).
        Task<PartResult>? mix = null;
        HttpClient? mixKz = null, mixCn = null;
        if (options.BesideMix > 0)
        {
            mixKz = Baselines.Client(options.Url, options.BesideMix);
            mixCn = Baselines.Client(options.CnUrl, options.BesideMix);
            var system = new SystemUnderLoad(mixKz, tokens, options.BesideMix, mixCn);
            Console.WriteLine($"preparing the mix beside: {options.BesideMix * 8} requests filed on KZ and accepted on CN ...");
            await system.Prepare(CancellationToken.None);
            mix = HttpLoad.Run("mixed beside", options.BesideMix, options.Warmup, options.Duration, system.Mixed(options.Mix));
        }

        var kzToCn = new LongConcurrentHistogram(1, TimeSpan.TicksPerMinute, 3);
        var cnToKz = new LongConcurrentHistogram(1, TimeSpan.TicksPerMinute, 3);
        var errors = new ConcurrentDictionary<string, long>();
        var pollEvery = options.PollEvery;
        var polls = new long[2]; // GETs the workers sent while measuring: [KZ, CN]
        var measureFrom = long.MaxValue;
        var measureTo = long.MaxValue;
        using var stop = new CancellationTokenSource();
        bool Measured(long at) => at >= Volatile.Read(ref measureFrom) && at < Volatile.Read(ref measureTo);
        Action Counter(int node) => () =>
        {
            if (Measured(Stopwatch.GetTimestamp()))
            {
                Interlocked.Increment(ref polls[node]);
            }
        };
        void Error(long at, string what)
        {
            if (Measured(at))
            {
                errors.AddOrUpdate(what, 1, (_, n) => n + 1);
            }
        }

        Console.WriteLine($"exchange latency: {workers} workers file on KZ ({options.Url}), wait for the request on CN ({options.CnUrl}), acknowledge it there and wait for KZ to show it; polls every {pollEvery.TotalMilliseconds} ms ...");
        var loops = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var began = Stopwatch.GetTimestamp();
                try
                {
                    // KZ → CN: the filing, from its 201 on KZ to the first 200 on CN.
                    using var filing = await Send(kz, HttpMethod.Post, "/api/requests", filers[w], null, Filing($"Exchange latency {w}-{n}"));
                    if (filing.StatusCode != HttpStatusCode.Created)
                    {
                        Error(began, $"file {(int)filing.StatusCode}");
                        continue;
                    }

                    var id = (await filing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    var filed = Stopwatch.GetTimestamp();
                    var (arrived, onCn) = await PollUntil(cn, $"/api/requests/{id}", handlers[w], pollEvery, _ => true, Counter(1));
                    if (arrived is null)
                    {
                        Error(filed, "not on CN within 30 s");
                        continue;
                    }

                    if (Measured(filed))
                    {
                        kzToCn.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(filed, arrived.Value).Ticks));
                    }

                    // CN → KZ: the acknowledgement, from its 200 on CN to the first GET on KZ that shows it.
                    var (acknowledged, status) = await Acknowledge(cn, id, onCn!.Value, handlers[w], $"CN-LOAD-{w}-{n}");
                    if (acknowledged is null)
                    {
                        Error(arrived.Value, $"acknowledge {status}");
                        continue;
                    }

                    var (shown, _) = await PollUntil(kz, $"/api/requests/{id}", filers[w], pollEvery,
                        view => view.GetProperty("status").GetString() == "acknowledged", Counter(0));
                    if (shown is null)
                    {
                        Error(acknowledged.Value, "not acknowledged on KZ within 30 s");
                        continue;
                    }

                    if (Measured(acknowledged.Value))
                    {
                        cnToKz.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(acknowledged.Value, shown.Value).Ticks));
                    }
                }
                catch (HttpRequestException e)
                {
                    Error(began, e.StatusCode?.ToString() ?? "connection");
                }
                catch (TaskCanceledException)
                {
                    Error(began, "client timeout");
                }
            }
        })).ToArray();

        await Task.Delay(options.Warmup);
        var startedAt = DateTimeOffset.UtcNow;
        Volatile.Write(ref measureFrom, Stopwatch.GetTimestamp());
        var watch = Stopwatch.StartNew();

        // What waits in each node's outbox, once a second over the measured time: a queue that grows is a relay
        // that sends fewer envelopes than the load makes.
        var pendingEachSecond = new List<long[]>();
        while (watch.Elapsed < options.Duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, Math.Max(0.01, (options.Duration - watch.Elapsed).TotalSeconds))));
            if (watch.Elapsed < options.Duration)
            {
                pendingEachSecond.Add([(await Health(kz))?.PendingRequests ?? -1, (await Health(cn))?.PendingRequests ?? -1]);
            }
        }

        Volatile.Write(ref measureTo, Stopwatch.GetTimestamp());
        var endedAt = DateTimeOffset.UtcNow;
        watch.Stop();
        await stop.CancelAsync();
        var mixResult = mix is null ? null : await mix;
        await Task.WhenAll(loops); // the steps in flight finish (each within 30 s): the slowest count too
        mixKz?.Dispose();
        mixCn?.Dispose();

        var seconds = watch.Elapsed.TotalSeconds;
        var kzDirection = Direction.From("KZ -> CN (filing visible on CN)", kzToCn);
        var cnDirection = Direction.From("CN -> KZ (acknowledgement visible on KZ)", cnToKz);
        var kzEnvelopes = await Receipts(options, "kz", startedAt, endedAt);
        var cnEnvelopes = await Receipts(options, "cn", startedAt, endedAt);
        double? envelopesPerSecond = kzEnvelopes is { } a && cnEnvelopes is { } b ? Math.Round((a + b) / seconds, 1) : null;
        var kzLag = await ReceiptLag(options, "kz", "KZ -> CN (commit -> CN's receipt on KZ)", startedAt, endedAt);
        var cnLag = await ReceiptLag(options, "cn", "CN -> KZ (commit -> KZ's receipt on CN)", startedAt, endedAt);

        // What is left waiting once the load stops: the exchange should be empty again within moments.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new LatencyResult(workers, Math.Round(seconds, 1), (int)pollEvery.TotalMilliseconds, kzDirection, cnDirection,
            Math.Round((kzDirection.Count + cnDirection.Count) / seconds, 1), kzEnvelopes, cnEnvelopes, envelopesPerSecond,
            kzLag, cnLag, Math.Round(polls[0] / seconds, 0), Math.Round(polls[1] / seconds, 0),
            pendingEachSecond.Count == 0 ? 0 : pendingEachSecond.Max(p => p[0]), pendingEachSecond.Count == 0 ? 0 : pendingEachSecond.Max(p => p[1]), pendingEachSecond, errors, mixResult, await Health(kz), await Health(cn));
    }

    private static async Task<(long? At, JsonElement? View)> PollUntil(HttpClient node, string path, AuthenticationHeaderValue token, TimeSpan every, Func<JsonElement, bool> done, Action counted)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(VisibleWithin.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            counted();
            using (var response = await Send(node, HttpMethod.Get, path, token, null))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var at = Stopwatch.GetTimestamp();
                    var view = await response.Content.ReadFromJsonAsync<JsonElement>();
                    if (done(view))
                    {
                        return (at, view);
                    }
                }
                else if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    throw new HttpRequestException($"GET {path}: {(int)response.StatusCode}", null, response.StatusCode);
                }
            }

            await Task.Delay(every);
        }

        return (null, null);
    }

    /// <summary>Acknowledges on the version seen (once more on a 412: the version moved while it was read).</summary>
    private static async Task<(long? At, int Status)> Acknowledge(HttpClient cn, Guid id, JsonElement seen, AuthenticationHeaderValue handler, string reference)
    {
        var version = seen.GetProperty("version").GetInt32();
        for (var attempt = 0; ; attempt++)
        {
            using var response = await Send(cn, HttpMethod.Post, $"/api/requests/{id}/actions/acknowledge", handler, $"\"{version}\"", new { requestedReference = reference });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (Stopwatch.GetTimestamp(), 200);
            }

            if (response.StatusCode != HttpStatusCode.PreconditionFailed || attempt > 0)
            {
                return (null, (int)response.StatusCode);
            }

            using var current = await Send(cn, HttpMethod.Get, $"/api/requests/{id}", handler, null);
            version = int.Parse(current.Headers.ETag!.Tag.Trim('"'), CultureInfo.InvariantCulture);
        }
    }

    // ---- drain after a peer outage ----

    public static async Task<DrainResult> Drain(LoadOptions options, Tokens tokens)
    {
        var pid = options.PeerPid!.Value;
        using var kz = Baselines.Client(options.Url, options.Connections);
        using var cn = Baselines.Client(options.CnUrl, 4);
        var filers = Enumerable.Range(0, options.Connections).Select(w => Bearer(tokens.For(Filer, "filer", w))).ToArray();
        await Ready(kz, "KZ");
        await Ready(cn, "CN");
        CheckPeerProcess(pid);
        var kzDb = NodeDatabase(options, "kz");
        var cnDb = NodeDatabase(options, "cn");
        var useDb = kzDb is not null && await CanOpen(kzDb);

        for (var i = 0; (await Health(kz))?.PendingRequests is not 0; i++)
        {
            if (i == 60)
            {
                throw new InvalidOperationException("KZ's exchange has requests pending before the drain started (after 30 s); let it empty first.");
            }

            await Task.Delay(500);
        }

        var stopped = false;
        void Resume()
        {
            if (stopped)
            {
                Signal("CONT", pid);
                stopped = false;
            }
        }

        // Whatever happens to this tool, the peer is not left stopped.
        ConsoleCancelEventHandler onCancel = (_, _) => Resume();
        EventHandler onExit = (_, _) => Resume();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        try
        {
            Signal("STOP", pid);
            stopped = true;
            var stoppedAt = Stopwatch.GetTimestamp();
            Console.WriteLine($"SIGSTOP {pid} (node CN); {(await Answers(cn) ? "CN still answers: is that CN's silo?" : "CN no longer answers")}");

            // The backlog: N filings on KZ, which wait in its outbox.
            var ids = new ConcurrentBag<Guid>();
            var filingErrors = 0;
            var next = -1;
            var filing = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async w =>
            {
                while (Interlocked.Increment(ref next) < options.Backlog)
                {
                    using var response = await Send(kz, HttpMethod.Post, "/api/requests", filers[w], null, Filing("Exchange backlog"));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                    }
                    else
                    {
                        Interlocked.Increment(ref filingErrors);
                    }
                }
            }));
            filing.Stop();
            Console.WriteLine($"filed {ids.Count} on KZ in {filing.Elapsed.TotalSeconds:F1} s ({ids.Count / filing.Elapsed.TotalSeconds:F0}/s), {filingErrors} failed; KZ pending: {(await Health(kz))?.PendingRequests}");

            while (Stopwatch.GetElapsedTime(stoppedAt) < options.Outage)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, Math.Max(0.1, (options.Outage - Stopwatch.GetElapsedTime(stoppedAt)).TotalSeconds))));
                Console.WriteLine($"  {Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds:F0} s stopped; KZ pending: {(await Health(kz))?.PendingRequests}");
            }

            var pendingAtResume = (await Health(kz))?.PendingRequests ?? -1;
            var tried = useDb ? await TriedRows(kzDb!, ids) : new Dictionary<Guid, (int Attempts, DateTimeOffset NextAt)>();
            var outage = Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds;
            Resume();
            var resumedAt = DateTimeOffset.UtcNow;
            var resumed = Stopwatch.GetTimestamp();
            Console.WriteLine($"SIGCONT {pid} after {outage:F1} s; {pendingAtResume} pending on KZ, {tried.Count(t => t.Value.Attempts > 0)} of them tried (and failed) during the outage");

            // Until KZ has nothing pending (its relay holds every receipt), or 10 minutes.
            double? zeroAt = null;
            while (Stopwatch.GetElapsedTime(resumed) < TimeSpan.FromMinutes(10))
            {
                var pending = (await Health(kz))?.PendingRequests;
                if (pending == 0)
                {
                    zeroAt = Stopwatch.GetElapsedTime(resumed).TotalSeconds;
                    break;
                }

                await Task.Delay(100);
            }

            Console.WriteLine(zeroAt is null ? "KZ still has requests pending after 10 minutes" : $"KZ has nothing pending {zeroAt:F2} s after SIGCONT");

            // Spot check on CN through its API, and all of them in its database.
            var all = ids.ToArray();
            var handler = Bearer(tokens.For(Handler, "handler", 0));
            var sample = all.OrderBy(_ => Random.Shared.Next()).Take(20).ToArray();
            var found = 0;
            foreach (var id in sample)
            {
                using var response = await Send(cn, HttpMethod.Get, $"/api/requests/{id}", handler, null);
                found += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }

            long? onCn = cnDb is not null && await CanOpen(cnDb) ? await CountStored(cnDb, all) : null;

            // Delivery times: each request's first receipt from CN as KZ stored it (database clock, this machine),
            // or, without the database, only what the health endpoint showed.
            var delivered = useDb ? await FirstReceipts(kzDb!, all) : [];
            var since = delivered.ToDictionary(d => d.Key, d => (d.Value - resumedAt).TotalSeconds);
            var times = since.Values.Order().ToArray();
            double At(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : Math.Round(sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))], 2);
            var untried = since.Where(s => !tried.TryGetValue(s.Key, out var t) || t.Attempts == 0).Select(s => s.Value).Order().ToArray();
            var triedTimes = since.Where(s => tried.TryGetValue(s.Key, out var t) && t.Attempts > 0).Select(s => s.Value).Order().ToArray();
            var first = times.Length > 0 ? times[0] : double.NaN;
            var lastUntried = untried.Length > 0 ? untried[^1] : (double?)null;
            // The drain rate: the requests the relay had not tried, from the first delivery to the last of them.
            var drain = untried.Length > 1 ? (untried.Length - 1) / (untried[^1] - untried[0]) : double.NaN;
            var triedRows = tried.Where(t => t.Value.Attempts > 0).ToArray();
            return new DrainResult(all.Length, filingErrors, Math.Round(filing.Elapsed.TotalSeconds, 1), Math.Round(all.Length / filing.Elapsed.TotalSeconds, 0),
                Math.Round(outage, 1), pendingAtResume, triedRows.Length, triedRows.Length == 0 ? 0 : triedRows.Max(t => t.Value.Attempts),
                triedRows.Length == 0 ? null : Math.Round(triedRows.Max(t => (t.Value.NextAt - resumedAt).TotalSeconds), 2),
                Math.Round(first, 2), At(times, 0.5), At(times, 0.99), At(times, 1.0),
                lastUntried is { } lu ? Math.Round(lu, 2) : null, triedTimes.Length > 0 ? Math.Round(triedTimes[^1], 2) : null,
                Math.Round(drain, 0), times.Length > 0 ? Math.Round(times.Length / times[^1], 0) : double.NaN,
                zeroAt is { } z ? Math.Round(z, 2) : null, sample.Length, found, onCn, useDb);
        }
        finally
        {
            Resume();
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed (exit {kill.ExitCode}).");
        }
    }

    private static void CheckPeerProcess(int pid)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        if (!File.Exists(cmdline))
        {
            throw new ArgumentException($"--peer-pid {pid}: no such process.");
        }

        if (!File.ReadAllText(cmdline).Contains("MutualAssistance.Silo", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--peer-pid {pid} is not a silo (run.sh prints 'silo 1 ... pid N' for node CN).");
        }
    }

    private static async Task<bool> Answers(HttpClient node)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            using var response = await node.GetAsync("/health/live", wait.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            return false;
        }
    }

    // ---- the nodes' health and databases ----

    private static async Task Ready(HttpClient node, string name)
    {
        try
        {
            using var response = await node.GetAsync("/health/exchange");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (!body.TryGetProperty("data", out var data) || !data.TryGetProperty("pendingRequests", out _))
            {
                throw new InvalidOperationException($"Node {name} at {node.BaseAddress} has no peers ({body.GetProperty("description").GetString()}): start ./run.sh --federation.");
            }
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"Node {name} at {node.BaseAddress} does not answer ({e.Message}): start ./run.sh --federation.", e);
        }
    }

    public static async Task<Backlog?> Health(HttpClient node)
    {
        try
        {
            using var response = await node.GetAsync("/health/exchange");
            var data = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
            return new Backlog(data.GetProperty("pendingRequests").GetInt64(), data.GetProperty("pendingCommands").GetInt64(),
                data.TryGetProperty("oldestPendingSince", out var since) ? since.GetDateTimeOffset() : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Node <paramref name="node"/>'s database: run.sh --federation gives each node the base database's name with _kz or _cn.</summary>
    private static string? NodeDatabase(LoadOptions options, string node)
    {
        if (options.ConnectionString is not { } text)
        {
            return null;
        }

        var builder = new NpgsqlConnectionStringBuilder(text);
        builder.Database = $"{builder.Database}_{node}";
        builder.MaxPoolSize = 2;
        return builder.ConnectionString;
    }

    private static async Task<bool> CanOpen(string database)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            Console.Error.WriteLine($"({new NpgsqlConnectionStringBuilder(database).Database}: {e.Message}; figures from the databases are left out)");
            return false;
        }
    }

    /// <summary>Envelopes the node's peer acknowledged in the window: the receipts it keeps.</summary>
    private static async Task<long?> Receipts(LoadOptions options, string node, DateTimeOffset from, DateTimeOffset to)
    {
        if (NodeDatabase(options, node) is not { } database || !await CanOpen(database))
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM exchange_receipts WHERE received_at >= @from AND received_at < @to", connection);
        count.Parameters.AddWithValue("from", from);
        count.Parameters.AddWithValue("to", to);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The server's side of the latency, without the polls' resolution: from the commit of an envelope's last event
    /// (its time as recorded by the sender's grain) to the peer's receipt for it, stored by the sender (both clocks this
    /// machine's). The peer commits before it answers, so this is an upper bound of commit -> committed on the peer.
    /// </summary>
    private static async Task<Direction?> ReceiptLag(LoadOptions options, string node, string name, DateTimeOffset from, DateTimeOffset to)
    {
        if (NodeDatabase(options, node) is not { } database || !await CanOpen(database))
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var sql = new NpgsqlCommand("""
            SELECT (extract(epoch FROM r.received_at - e.at) * 1e7)::bigint
              FROM exchange_receipts r JOIN request_events e ON e.request_id = r.request_id AND e.sequence = r.sequence
             WHERE r.received_at >= @from AND r.received_at < @to
            """, connection);
        sql.Parameters.AddWithValue("from", from);
        sql.Parameters.AddWithValue("to", to);
        var histogram = new LongHistogram(1, TimeSpan.TicksPerMinute, 3);
        await using var reader = await sql.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            histogram.RecordValue(Math.Clamp(reader.GetInt64(0), 1, TimeSpan.TicksPerMinute));
        }

        return Direction.From(name, histogram);
    }

    private static async Task<Dictionary<Guid, (int Attempts, DateTimeOffset NextAt)>> TriedRows(string database, IEnumerable<Guid> ids)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var sql = new NpgsqlCommand("SELECT request_id, attempts, next_attempt_at FROM exchange_outbox WHERE request_id = ANY(@ids)", connection);
        sql.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new Dictionary<Guid, (int, DateTimeOffset)>();
        await using var reader = await sql.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetGuid(0)] = (reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return rows;
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> FirstReceipts(string database, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var sql = new NpgsqlCommand("SELECT request_id, min(received_at) FROM exchange_receipts WHERE request_id = ANY(@ids) GROUP BY request_id", connection);
        sql.Parameters.AddWithValue("ids", ids);
        var rows = new Dictionary<Guid, DateTimeOffset>();
        await using var reader = await sql.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return rows;
    }

    private static async Task<long> CountStored(string database, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var sql = new NpgsqlCommand("SELECT count(*) FROM request_state WHERE request_id = ANY(@ids)", connection);
        sql.Parameters.AddWithValue("ids", ids);
        return (long)(await sql.ExecuteScalarAsync())!;
    }

    // ---- HTTP ----

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static object Filing(string subject) => new
    {
        requestingAuthority = Filer,
        requestedAuthority = Handler,
        legalBasis = "cn-kz-1993",
        assistanceTypes = new[] { "taking-evidence" },
        subject,
        summaryOfFacts = "Generated by the load tool.",
    };

    private static async Task<HttpResponseMessage> Send(HttpClient node, HttpMethod method, string path, AuthenticationHeaderValue token, string? ifMatch, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = token } };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await node.SendAsync(request);
    }
}
