using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Silo;
using MutualAssistance.Federation;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Two nodes of a federation in this process, each its own Orleans cluster (its own service id) on its own
/// database, co-hosting the API on its own HTTP port: node KZ serves Kazakhstan's authorities, node CN China's.
/// Each trusts the other's keys; CN signs with a key rotated in (cn-2) while its previous one (cn-1) is still
/// trusted, and KZ also lists a CN key that has expired (cn-0). Every message a node sends passes its
/// <see cref="ExchangeLink"/>, which can cut the link (a partition) and records what was sent.
/// </summary>
public sealed class FederationFixture(DatabaseFixture database) : IAsyncLifetime
{
    private readonly string keyFolder = Directory.CreateTempSubdirectory("ma-keys-").FullName;

    public FederationNode Kz { get; private set; } = null!;

    public FederationNode Cn { get; private set; } = null!;

    /// <summary>The private keys by key id, for tests that sign messages themselves.</summary>
    public Dictionary<string, ECDsa> Keys { get; } = [];

    public static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;

    public async ValueTask InitializeAsync()
    {
        var data = ReferenceDataFiles.Load(TestReferenceData.Folder);
        string Codes(string state) => string.Join(',', data.Authorities.All.Where(a => a.State == state).Select(a => a.Code));
        foreach (var id in new[] { "kz-1", "cn-0", "cn-1", "cn-2", "stranger" })
        {
            Keys[id] = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await File.WriteAllTextAsync(Path.Combine(keyFolder, id + ".pem"), Keys[id].ExportPkcs8PrivateKeyPem());
        }

        // Below the ephemeral range: the databases are made before the nodes bind, and a port from the ephemeral
        // range may meanwhile be taken as the source port of a connection (the fixture's own, to PostgreSQL).
        var ports = FreePort.Block(4);
        var (kzPort, cnPort, kzExchangePort, cnExchangePort) = (ports, ports + 1, ports + 2, ports + 3);
        Kz = new FederationNode("KZ", await database.Server.CreateMigratedDatabaseAsync("node_kz"), kzPort, kzExchangePort, new Dictionary<string, string?>
        {
            ["Node:Id"] = "KZ",
            ["Exchange:Listener:Url"] = $"http://127.0.0.1:{kzExchangePort}",
            ["Node:Authorities"] = Codes("KZ"),
            ["Node:SigningKeys:0:Id"] = "kz-1",
            ["Node:SigningKeys:0:Path"] = Path.Combine(keyFolder, "kz-1.pem"),
            ["Node:Peers:0:Id"] = "CN",
            ["Node:Peers:0:ExchangeUrl"] = $"http://127.0.0.1:{cnExchangePort}/",
            ["Node:Peers:0:Authorities"] = Codes("CN"),
            ["Node:Peers:0:Keys:0:Id"] = "cn-0",
            ["Node:Peers:0:Keys:0:PublicKey"] = Public("cn-0"),
            ["Node:Peers:0:Keys:0:NotAfter"] = Started.AddDays(-1).ToString("O", CultureInfo.InvariantCulture),
            ["Node:Peers:0:Keys:1:Id"] = "cn-1",
            ["Node:Peers:0:Keys:1:PublicKey"] = Public("cn-1"),
            ["Node:Peers:0:Keys:2:Id"] = "cn-2",
            ["Node:Peers:0:Keys:2:PublicKey"] = Public("cn-2"),
            ["Node:Peers:0:Keys:2:NotBefore"] = Started.AddDays(-1).ToString("O", CultureInfo.InvariantCulture),
        });
        Cn = new FederationNode("CN", await database.Server.CreateMigratedDatabaseAsync("node_cn"), cnPort, cnExchangePort, new Dictionary<string, string?>
        {
            ["Node:Id"] = "CN",
            ["Exchange:Listener:Url"] = $"http://127.0.0.1:{cnExchangePort}",
            ["Node:Authorities"] = Codes("CN"),
            // cn-1 signed until cn-2 came into force; both are in KZ's trust list (the rotation's overlap).
            ["Node:SigningKeys:0:Id"] = "cn-1",
            ["Node:SigningKeys:0:Path"] = Path.Combine(keyFolder, "cn-1.pem"),
            ["Node:SigningKeys:0:NotBefore"] = Started.AddDays(-30).ToString("O", CultureInfo.InvariantCulture),
            ["Node:SigningKeys:1:Id"] = "cn-2",
            ["Node:SigningKeys:1:Path"] = Path.Combine(keyFolder, "cn-2.pem"),
            ["Node:SigningKeys:1:NotBefore"] = Started.AddDays(-1).ToString("O", CultureInfo.InvariantCulture),
            ["Node:Peers:0:Id"] = "KZ",
            ["Node:Peers:0:ExchangeUrl"] = $"http://127.0.0.1:{kzExchangePort}/",
            ["Node:Peers:0:Authorities"] = Codes("KZ"),
            ["Node:Peers:0:Keys:0:Id"] = "kz-1",
            ["Node:Peers:0:Keys:0:PublicKey"] = Public("kz-1"),
        });
        await Task.WhenAll(Kz.StartAsync(), Cn.StartAsync());
    }

    private string Public(string id) => Convert.ToBase64String(Keys[id].ExportSubjectPublicKeyInfo());

    public async ValueTask DisposeAsync()
    {
        await Kz.DisposeAsync();
        await Cn.DisposeAsync();
        Directory.Delete(keyFolder, recursive: true);
    }
}

/// <summary>One node of <see cref="FederationFixture"/>: started, stopped and started again on the same port and database.</summary>
public sealed class FederationNode(string id, string connectionString, int httpPort, int exchangePort, IReadOnlyDictionary<string, string?> nodeSettings) : IAsyncDisposable
{
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
    private InProcessSilo? silo;

    public string Id { get; } = id;

    public string ConnectionString { get; } = connectionString;

    public ExchangeLink Link { get; } = new();

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{httpPort}/");

    /// <summary>The node's exchange listener, apart from its API.</summary>
    public Uri ExchangeAddress { get; } = new($"http://127.0.0.1:{exchangePort}/");

    public IServiceProvider Services => (silo ?? throw new InvalidOperationException($"Node {Id} is down.")).Services;

    public async Task StartAsync(Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>(TestTokens.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
        {
            [SiloHostingExtensions.ApiHostingSetting] = SiloHostingExtensions.CoHosted,
            ["RateLimiting:PermitsPerSecond"] = "10000",
            ["RateLimiting:Burst"] = "10000",
            ["RateLimiting:Anonymous:PermitsPerSecond"] = "10000",
            ["RateLimiting:Anonymous:Burst"] = "10000",
        };
        foreach (var (key, value) in nodeSettings)
        {
            settings[key] = value;
        }

        silo = await InProcessSilo.StartAsync(ConnectionString, "node-" + Id.ToLowerInvariant(), serviceId: "ma-node-" + Id.ToLowerInvariant(), configure: services =>
        {
            services.AddHttpClient(ExchangeSender.ClientName).AddHttpMessageHandler(() => new ExchangeLink.Handler(Link));
            configure?.Invoke(services);
        }, settings: settings, httpPort: httpPort);
    }

    public async Task StopAsync()
    {
        if (silo is not null)
        {
            await silo.DisposeAsync();
            silo = null;
        }
    }

    /// <summary>A client of this node's API acting for <paramref name="authority"/> as <paramref name="role"/>.</summary>
    public HttpClient As(string authority, string role)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(authority, role));
        return client;
    }

    public HttpClient Anonymous() => new(handler, disposeHandler: false) { BaseAddress = BaseAddress };

    /// <summary>A client of this node's exchange listener, as a peer (or anyone) reaches it.</summary>
    public HttpClient Exchange() => new(handler, disposeHandler: false) { BaseAddress = ExchangeAddress };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        handler.Dispose();
    }
}

/// <summary>
/// The way out of a node to its peer, a fault-injecting link: <see cref="Cut"/> makes every send fail as an
/// unreachable peer does, <see cref="Freeze"/> makes every send wait without an answer (a frozen peer) until
/// <see cref="Restore"/> or the sender gives up, and every message that went out is kept (<see cref="Sent"/>) for the
/// envelope field scan.
/// </summary>
public sealed class ExchangeLink
{
    private volatile bool cut;
    private volatile bool broken;
    private volatile TaskCompletionSource? frozen;
    private int waiting;

    public ConcurrentQueue<byte[]> Sent { get; } = new();

    public bool IsCut => cut;

    /// <summary>How many sends wait on the frozen link now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    public void Cut() => cut = true;

    /// <summary>Every send fails on a defect of the sending side (an <see cref="InvalidOperationException"/>), until <see cref="Restore"/>.</summary>
    public void Break() => broken = true;

    /// <summary>Every send waits without an answer until <see cref="Restore"/>; a cut link comes back frozen (the peer is reached but silent).</summary>
    public void Freeze()
    {
        frozen ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cut = false;
    }

    public void Restore()
    {
        cut = false;
        broken = false;
        Interlocked.Exchange(ref frozen, null)?.TrySetResult();
    }

    public sealed class Handler(ExchangeLink link) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (link.cut)
            {
                throw new HttpRequestException("The link to the peer is cut (test partition).");
            }

            if (link.broken)
            {
                throw new InvalidOperationException("The sending side is broken (test defect).");
            }

            if (link.frozen is { } frozen)
            {
                Interlocked.Increment(ref link.waiting);
                try
                {
                    await frozen.Task.WaitAsync(cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref link.waiting);
                }
            }

            if (request.Content is not null)
            {
                link.Sent.Enqueue(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FederationCollection : ICollectionFixture<FederationFixture>
{
    public const string Name = "federation";
}
