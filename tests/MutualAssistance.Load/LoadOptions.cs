using System.Globalization;

namespace MutualAssistance.Load;

/// <summary>The load tool's command line: a mode (<c>mixed</c> by default; see <see cref="Help"/>), then <c>--name value</c> options.</summary>
public sealed record LoadOptions
{
    public string Mode { get; init; } = "mixed";
    public Uri Url { get; init; } = new("http://127.0.0.1:5080");
    public int Connections { get; init; } = 64;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shares of the mix, in percent: file, act, get, poll; and board (full 200-row pages), not in the default mix.</summary>
    public (int File, int Act, int Get, int Poll, int Board) Mix { get; init; } = (10, 30, 40, 20, 0);
    public string? ConnectionString { get; init; } = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=mutual_assistance";
    public bool Baselines { get; init; } = true;
    public string? JsonPath { get; init; }
    public int Requests { get; init; } = 100_000;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(2);
    public string? SigningKey { get; init; }
    public string Issuer { get; init; } = "dotnet-user-jwts";
    public string? Audience { get; init; }
    public int? KillPid { get; init; }
    public TimeSpan After { get; init; } = TimeSpan.FromSeconds(10);
    public int Probes { get; init; } = 32;
    public int Actions { get; init; } = 500;

    /// <summary>Exchange mode: node CN's API (node KZ's is <see cref="Url"/>, also given as <c>--kz-url</c>).</summary>
    public Uri CnUrl { get; init; } = new("http://127.0.0.1:5180");
    public TimeSpan PollEvery { get; init; } = TimeSpan.FromMilliseconds(5);
    public int BesideMix { get; init; }
    public int? PeerPid { get; init; }
    public int Backlog { get; init; } = 2000;
    public TimeSpan Outage { get; init; } = TimeSpan.FromSeconds(15);

    public const string Help = """
        Usage: dotnet run -c Release --project tests/MutualAssistance.Load -- [mixed|deadlines|failover|growth|exchange] [options]
          mixed                 HTTP load with a mix of file/act/get/poll, beside pgbench and a bare endpoint (default)
          deadlines             N open requests whose clocks fall due across a window: lateness and silo memory
          failover              the mix, probes reading requests of their own, and a silo killed (SIGKILL) after --after:
                                time from the kill to the first success for each request the kill affected
          growth                each client takes --actions actions on one request, one after the other: latency of
                                the first, middle and last 50 (does a write cost more as the history grows?)
          exchange              two nodes (./run.sh --federation): each worker files on KZ, waits until CN shows the
                                request, acknowledges it on CN and waits until KZ shows that: latency both ways and
                                envelopes/s; with --peer-pid, the drain of a backlog filed while node CN was stopped
        Options:
          --url URL             the API (default http://127.0.0.1:5080, as ./run.sh starts it)
          --connections N       concurrent clients (default 64)
          --duration 20s        measured time per part (after --warmup 5s)
          --mix file=10,act=30,get=40,poll=20   shares in percent; e.g. --mix get=100 for one part alone;
                                board=N adds full 200-row board pages (no ETag)
          --connection-string S PostgreSQL of the system (default ConnectionStrings__Postgres, or ./run.sh's)
          --no-baselines        skip pgbench and the bare endpoint
          --json FILE           also write the results as JSON
          --requests N          deadlines mode: open requests (default 100000)
          --window 2m           deadlines mode: their clocks fall due across this window
          --signing-key BASE64  HS256 key the API trusts (default: the dotnet user-jwts key in your user secrets)
          --issuer ISS          (default dotnet-user-jwts)   --audience AUD (default the --url origin)
          --kill-pid PID        failover mode: the silo to kill (./run.sh prints each silo's pid)
          --after 10s           failover mode: load before the kill (then --duration after it)
          --probes 32           failover mode: probe loops, each reading 4 requests of its own
          --actions 500         growth mode: actions per client on its one request
          --kz-url URL          exchange mode: node KZ's API (the same as --url; default http://127.0.0.1:5080)
          --cn-url URL          exchange mode: node CN's API (default http://127.0.0.1:5180)
          --poll-every 5ms      exchange mode: how often a worker asks the peer whether the change is there
          --beside-mix N        exchange mode: the mix (--mix) at the same time with N more callers, filing on KZ
                                and acting, reading and polling on CN
          --peer-pid PID        exchange mode: node CN's silo (run.sh's "silo 1 ... pid N"): SIGSTOP it, file
                                --backlog requests on KZ, SIGCONT it after --outage, and measure the drain
          --backlog 2000        exchange mode: requests filed while the peer is stopped
          --outage 15s          exchange mode: how long the peer stays stopped (at least the filing)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var rest = args;
        if (rest.Length > 0 && !rest[0].StartsWith("--", StringComparison.Ordinal))
        {
            options = options with { Mode = rest[0] };
            rest = rest[1..];
        }

        for (var i = 0; i < rest.Length; i++)
        {
            string Next() => i + 1 < rest.Length ? rest[++i] : throw new ArgumentException($"{rest[i]} needs a value.");
            options = rest[i] switch
            {
                "--url" or "--kz-url" => options with { Url = new Uri(Next()) },
                "--cn-url" => options with { CnUrl = new Uri(Next()) },
                "--poll-every" => options with { PollEvery = Span(Next()) },
                "--beside-mix" => options with { BesideMix = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--peer-pid" => options with { PeerPid = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--backlog" => options with { Backlog = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--outage" => options with { Outage = Span(Next()) },
                "--connections" => options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = Span(Next()) },
                "--warmup" => options with { Warmup = Span(Next()) },
                "--mix" => options with { Mix = ParseMix(Next()) },
                "--connection-string" => options with { ConnectionString = Next() },
                "--no-baselines" => options with { Baselines = false },
                "--json" => options with { JsonPath = Next() },
                "--requests" => options with { Requests = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--window" => options with { Window = Span(Next()) },
                "--signing-key" => options with { SigningKey = Next() },
                "--issuer" => options with { Issuer = Next() },
                "--audience" => options with { Audience = Next() },
                "--kill-pid" => options with { KillPid = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--after" => options with { After = Span(Next()) },
                "--probes" => options with { Probes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--actions" => options with { Actions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {rest[i]}.\n{Help}"),
            };
        }

        if (options.Mode is not ("mixed" or "deadlines" or "failover" or "growth" or "exchange"))
        {
            throw new ArgumentException($"Unknown mode {options.Mode}.\n{Help}");
        }

        return options;
    }

    private static TimeSpan Span(string text) => text switch
    {
        _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture)),
        _ => SpanOf(text),
    };

    private static TimeSpan SpanOf(string text) => text[^1] switch
    {
        's' => TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        'm' => TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture)),
    };

    private static (int, int, int, int, int) ParseMix(string text)
    {
        var parts = text.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        return (parts.GetValueOrDefault("file"), parts.GetValueOrDefault("act"), parts.GetValueOrDefault("get"), parts.GetValueOrDefault("poll"), parts.GetValueOrDefault("board"));
    }
}
