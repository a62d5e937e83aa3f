using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Federation;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// k8s/ without a cluster: each overlay renders with <c>kubectl kustomize</c>, every rendered object validates
/// offline against the Kubernetes schemas (tests/k8s-validation, npm kubernetes-models), and our own rules hold.
/// dev and production are the co-hosted shape (the silos serve the API); production-separate-api adds the
/// separate-api component (the API in Deployments of its own, the silos private). All three, like the base, are one
/// node serving every authority; national-node is production as a state's own node with a peer (federation).
/// </summary>
[Trait("Category", "Slow")]
public sealed class KubernetesManifestTests
{
    private static readonly string Root = Repository.Root;

    public static TheoryData<string> Overlays() => new() { "dev", "production", "production-separate-api", "national-node" };

    /// <summary>What renders as one node serving every authority (paths under k8s/).</summary>
    public static TheoryData<string> OneNodeShapes() => new() { "base", "overlays/dev", "overlays/production", "overlays/production-separate-api" };

    private static bool Separate(string overlay) => overlay.EndsWith("separate-api", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_overlay_renders_and_every_object_validates_against_the_kubernetes_schemas(string overlay)
    {
        var yaml = await Render(overlay);
        var (exit, output) = await Pipe("node", [Path.Combine(Root, "tests", "k8s-validation", "validate.mjs")], yaml);
        Assert.True(exit == 0, output);
        var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.True(report.GetProperty("objects").GetInt32() >= (Separate(overlay) ? 16 : 12));
        Assert.Equal(0, report.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task The_validator_catches_a_broken_object()
    {
        var broken = (await Render("dev")).Replace("replicas: 1", "replicas: one", StringComparison.Ordinal);
        var (exit, _) = await Pipe("node", [Path.Combine(Root, "tests", "k8s-validation", "validate.mjs")], broken);
        Assert.NotEqual(0, exit);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Our_rules_hold_for_every_deployment_and_job(string overlay)
    {
        var objects = await Objects(overlay);
        var deployments = objects.Where(o => Kind(o) == "Deployment").ToList();
        Assert.Equal(Separate(overlay) ? 2 : 1, deployments.Count);
        var shutdown = TimeSpan.Parse(JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "silo", "MutualAssistance.Silo", "appsettings.json")))!["HostOptions"]!["ShutdownTimeout"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var configMapShutdown = objects.Where(o => Kind(o) == "ConfigMap").Select(o => o["data"]?["HostOptions__ShutdownTimeout"]?.GetValue<string>()).Single(v => v is not null);
        Assert.Equal(shutdown, TimeSpan.Parse(configMapShutdown!, CultureInfo.InvariantCulture));

        foreach (var deployment in deployments)
        {
            var name = deployment["metadata"]!["name"]!.GetValue<string>();
            var template = deployment["spec"]!["template"]!;
            var podLabels = template["metadata"]!["labels"]!.AsObject();
            foreach (var (key, value) in deployment["spec"]!["selector"]!["matchLabels"]!.AsObject())
            {
                Assert.True(podLabels[key]?.GetValue<string>() == value!.GetValue<string>(), $"{name}: selector {key} does not match the pod labels");
            }

            // The default-deny policy selects the application's pods by this label.
            Assert.Equal("mutual-assistance", podLabels["app.kubernetes.io/part-of"]?.GetValue<string>());
            var pod = template["spec"]!;
            Assert.True(pod["terminationGracePeriodSeconds"]!.GetValue<int>() > shutdown.TotalSeconds, $"{name}: the grace period must exceed the host's shutdown timeout");
            Assert.False(pod["automountServiceAccountToken"]?.GetValue<bool>() ?? true, $"{name}: no service account token unless needed");
            Assert.True(pod["securityContext"]?["runAsNonRoot"]?.GetValue<bool>() == true, $"{name}: runAsNonRoot");
            foreach (var container in pod["containers"]!.AsArray())
            {
                foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                {
                    Assert.True(container![probe]?["httpGet"]?["path"] is not null, $"{name}: {probe}");
                }

                Assert.Equal("/health/live", container!["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
                Assert.Equal("/health/ready", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
                Assert.NotNull(container["resources"]?["requests"]?["cpu"]);
                Assert.NotNull(container["resources"]?["requests"]?["memory"]);
                Assert.NotNull(container["resources"]?["limits"]?["memory"]);
                var security = container["securityContext"]!;
                Assert.True(security["readOnlyRootFilesystem"]!.GetValue<bool>(), $"{name}: read-only root filesystem");
                Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>());
                Assert.Contains("ALL", security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
            }
        }

        var silo = deployments.Single(d => d["metadata"]!["name"]!.GetValue<string>().Contains("silo", StringComparison.Ordinal));
        Assert.Equal(0, silo["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<int>());
        var siloPod = silo["spec"]!["template"]!;
        Assert.NotNull(siloPod["metadata"]!["labels"]!["orleans/serviceId"]);
        Assert.NotNull(siloPod["metadata"]!["labels"]!["orleans/clusterId"]);
        var siloContainer = siloPod["spec"]!["containers"]![0]!;
        var ports = siloContainer["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["containerPort"]!.GetValue<int>());
        Assert.Equal(11111, ports["silo"]);
        Assert.Equal(30000, ports["gateway"]);
        Assert.Equal(8080, ports["http"]);
        var env = siloContainer["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);
        Assert.Equal("11111", env["Orleans__SiloPort"]["value"]!.GetValue<string>());
        Assert.Equal("30000", env["Orleans__GatewayPort"]["value"]!.GetValue<string>());
        Assert.Equal("status.podIP", env["Orleans__AdvertisedIPAddress"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        foreach (var downward in new[] { "POD_NAME", "POD_IP", "POD_NAMESPACE", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
        {
            Assert.NotNull(env[downward]["valueFrom"]!["fieldRef"]);
        }

        Assert.Contains("secretKeyRef", env["ConnectionStrings__Postgres"]["valueFrom"]!.AsObject().Select(p => p.Key));

        // A ConfigMap a pod needs (not optional) is in the render, with the keys it names: otherwise the pod
        // never starts (CreateContainerConfigError).
        foreach (var workload in objects.Where(o => Kind(o) is "Deployment" or "Job"))
        {
            foreach (var container in workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            {
                var references = (container!["envFrom"]?.AsArray() ?? []).Select(e => e!["configMapRef"]).Where(r => r is not null).Select(r => (Ref: r!, Key: (string?)null))
                    .Concat((container["env"]?.AsArray() ?? []).Select(e => e!["valueFrom"]?["configMapKeyRef"]).Where(r => r is not null).Select(r => (Ref: r!, Key: (string?)r!["key"]!.GetValue<string>())));
                foreach (var (reference, key) in references.Where(r => r.Ref["optional"]?.GetValue<bool>() != true))
                {
                    var configMap = objects.SingleOrDefault(o => Kind(o) == "ConfigMap" && Name(o) == reference["name"]!.GetValue<string>());
                    Assert.True(configMap is not null, $"{Name(workload)}: ConfigMap {reference["name"]} is not in the render");
                    Assert.True(key is null || configMap["data"]?[key] is not null, $"{Name(workload)}: ConfigMap {reference["name"]} has no key {key}");
                }
            }
        }

        var job = Assert.Single(objects, o => Kind(o) == "Job");
        Assert.Contains("migrate", job["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(deployments.Count, objects.Count(o => Kind(o) == "PodDisruptionBudget"));

        // The hosting shape: one setting on the silos, and the API Service selects the pods that serve the API.
        Assert.Equal(Separate(overlay) ? "separate" : "co-hosted", env["Api__Hosting"]["value"]!.GetValue<string>());
        var apiService = Assert.Single(objects, o => Kind(o) == "Service" && o["metadata"]!["name"]!.GetValue<string>() == "mutual-assistance-api");
        var served = Separate(overlay) ? deployments.Single(d => d != silo) : silo;
        Assert.Equal(
            served["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>(),
            apiService["spec"]!["selector"]!["app.kubernetes.io/name"]!.GetValue<string>());
        var apiContainer = served["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var apiEnv = apiContainer["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);
        foreach (var setting in new[] { "Authentication__Schemes__Bearer__ValidAudiences__0", "Authentication__Schemes__Bearer__ValidIssuer" })
        {
            Assert.Contains("secretKeyRef", apiEnv[setting]["valueFrom"]!.AsObject().Select(p => p.Key));
        }

        Assert.NotNull(apiEnv["RateLimiting__PermitsPerSecond"]["valueFrom"]!["configMapKeyRef"]);
        Assert.NotNull(apiContainer["lifecycle"]?["preStop"]);
        Assert.True(objects.Count(o => Kind(o) == "NetworkPolicy") >= 3);
        Assert.All(objects.Where(o => Kind(o) == "ServiceAccount"), sa => Assert.False(sa["automountServiceAccountToken"]!.GetValue<bool>()));

        if (overlay.StartsWith("production", StringComparison.Ordinal))
        {
            Assert.Equal(3, silo["spec"]!["replicas"]!.GetValue<int>());
        }

        if (Separate(overlay))
        {
            Assert.Equal(2, deployments.Single(d => d != silo)["spec"]!["replicas"]!.GetValue<int>());
        }
    }

    /// <summary>
    /// The base, and the overlays built on it without a node of their own, are one node serving every authority
    /// (Node__Id ALL, Node__Authorities "*"), with no peers and so no signing key; the silo's own reader takes the
    /// settings the silo pods get as exactly that shape.
    /// </summary>
    [Theory]
    [MemberData(nameof(OneNodeShapes))]
    public async Task The_base_and_the_one_node_overlays_are_one_node_serving_every_authority(string path)
    {
        var node = SiloNodeSettings(await ObjectsAt(path));
        Assert.Equal("ALL", node["Node__Id"]);
        Assert.Equal("*", node["Node__Authorities"]);
        Assert.DoesNotContain(node.Keys, k => k.StartsWith("Node__Peers__", StringComparison.Ordinal) || k.StartsWith("Node__SigningKeys__", StringComparison.Ordinal));

        var settings = NodeSettings.Read(Configuration(node));
        Assert.Equal("ALL", settings.Map.NodeId);
        Assert.True(settings.Map.ServesAll);
        Assert.Empty(settings.Map.Peers);
        Assert.Empty(settings.SigningKeys);
    }

    /// <summary>
    /// k8s/overlays/national-node, a state's own node (KZ with the peer CN): its identity and peers are what the
    /// silo reads, every authority of each state is listed, the signing key comes read-only from a Secret at the
    /// path the settings name (and no key is committed), the peers' placeholder key stops start-up by name, only
    /// /exchange/ is exposed, over TLS, to the silos, and the traffic rules let the exchange through both ways.
    /// </summary>
    [Fact]
    public async Task The_national_node_overlay_is_a_node_with_a_peer_its_key_mounted_and_only_the_exchange_exposed()
    {
        var yaml = await Render("national-node");
        var objects = await Objects("national-node");
        Assert.DoesNotContain("PRIVATE KEY", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(objects, o => Kind(o) == "Secret");

        // Identity and peers, against the authority directory the silo ships with.
        var node = SiloNodeSettings(objects);
        var directory = ReferenceDataFiles.Load(Path.Combine(Root, "silo", "MutualAssistance.Silo", "ReferenceData")).Authorities;
        string[] StateCodes(string state) => [.. directory.All.Where(a => a.State == state).Select(a => a.Code).Order(StringComparer.Ordinal)];
        Assert.Equal("KZ", node["Node__Id"]);
        Assert.Equal(StateCodes("KZ"), Codes(node["Node__Authorities"]));
        Assert.Equal("CN", node["Node__Peers__0__Id"]);
        Assert.Equal(StateCodes("CN"), Codes(node["Node__Peers__0__Authorities"]));
        Assert.StartsWith("https://", node["Node__Peers__0__ExchangeUrl"], StringComparison.Ordinal);

        // As committed, the peer's key is a placeholder that no reader takes for a key: the silo stops, naming it.
        var refused = Assert.ThrowsAny<InvalidOperationException>(() => NodeSettings.Read(Configuration(node)));
        Assert.Contains("Node:Peers:0:Keys:0:PublicKey", refused.Message, StringComparison.Ordinal);

        // The key file: a Secret volume (not optional, not readable by others, readable by the silo's group), mounted
        // read-only as a directory (no subPath: every file of the Secret is there, a rotation's second key too) that
        // holds the file Node__SigningKeys__0__Path names.
        var silo = Assert.Single(objects, o => Kind(o) == "Deployment" && Name(o) == "mutual-assistance-silo");
        var pod = silo["spec"]!["template"]!["spec"]!;
        var volume = Assert.Single(pod["volumes"]!.AsArray(), v => v!["secret"]?["secretName"]?.GetValue<string>() == "mutual-assistance-node-key")!;
        Assert.NotEqual(true, volume["secret"]!["optional"]?.GetValue<bool>());
        Assert.Null(volume["secret"]!["items"]);
        var mode = volume["secret"]!["defaultMode"]!.GetValue<int>();
        Assert.Equal(0, mode & 0b000_000_111);
        Assert.NotEqual(0, mode & 0b000_100_000);
        Assert.Equal(pod["securityContext"]!["runAsGroup"]!.GetValue<int>(), pod["securityContext"]!["fsGroup"]?.GetValue<int>());
        var container = Assert.Single(pod["containers"]!.AsArray(), c => Name(c!) == "silo")!;
        var mount = Assert.Single(container["volumeMounts"]!.AsArray(), m => m!["name"]!.GetValue<string>() == volume["name"]!.GetValue<string>())!;
        Assert.True(mount["readOnly"]?.GetValue<bool>() == true, "the signing key is mounted read-only");
        Assert.Null(mount["subPath"]);
        var keyPath = node["Node__SigningKeys__0__Path"];
        Assert.Equal(mount["mountPath"]!.GetValue<string>().TrimEnd('/') + "/" + Path.GetFileName(keyPath), keyPath);

        // With the operator's values in place (a real peer key; the Secret's file, here a temporary one) the silo
        // takes these settings: its id and authorities, one signing key, the peer with its key and exchange URL.
        using var own = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var peerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = Path.Combine(Path.GetTempPath(), $"node-key-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(keyFile, own.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        try
        {
            var filled = new Dictionary<string, string>(node, StringComparer.Ordinal)
            {
                ["Node__SigningKeys__0__Path"] = keyFile,
                ["Node__Peers__0__Keys__0__PublicKey"] = Convert.ToBase64String(peerKey.ExportSubjectPublicKeyInfo()),
            };
            var settings = NodeSettings.Read(Configuration(filled));
            settings.Validate(directory);
            Assert.Equal("KZ", settings.Map.NodeId);
            Assert.False(settings.Map.ServesAll);
            Assert.Equal(node["Node__SigningKeys__0__Id"], Assert.Single(settings.SigningKeys).Id);
            var peer = Assert.Single(settings.Map.Peers);
            Assert.Equal("exchange.cn.example", new Uri(peer.ExchangeUrl, ExchangeSender.Path).Host);
            Assert.Equal("CN", settings.Trust.Find(node["Node__Peers__0__Keys__0__Id"])?.Node);
            Assert.Null(settings.Trust.Find(node["Node__SigningKeys__0__Id"]));
        }
        finally
        {
            File.Delete(keyFile);
        }

        // The Ingress: TLS for every host, one path, /exchange/, which holds the route the peers POST to, to a
        // Service of the silo pods' exchange port; a body limit that lets the largest message through to the silo.
        var ingress = Assert.Single(objects, o => Kind(o) == "Ingress");
        Assert.Null(ingress["spec"]!["defaultBackend"]);
        var tls = ingress["spec"]!["tls"]!.AsArray();
        Assert.All(tls, t => Assert.False(string.IsNullOrEmpty(t!["secretName"]?.GetValue<string>())));
        var tlsHosts = tls.SelectMany(t => t!["hosts"]!.AsArray().Select(h => h!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
        var siloPodLabels = silo["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        // The exchange's own port (not the API's http port), where the node's listener setting says it listens.
        var exchangePort = container["ports"]!.AsArray().Single(p => Name(p!) == "exchange")!["containerPort"]!.GetValue<int>();
        var httpPort = container["ports"]!.AsArray().Single(p => Name(p!) == "http")!["containerPort"]!.GetValue<int>();
        Assert.NotEqual(httpPort, exchangePort);
        Assert.Equal(exchangePort, new Uri(node["Exchange__Listener__Url"]).Port);
        var rules = ingress["spec"]!["rules"]!.AsArray();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var host = rule!["host"]?.GetValue<string>();
            Assert.True(host is not null && tlsHosts.Contains(host), $"host {host} is served over TLS");
            var path = Assert.Single(rule["http"]!["paths"]!.AsArray())!;
            Assert.Equal("/exchange/", path["path"]!.GetValue<string>());
            Assert.Equal("Prefix", path["pathType"]!.GetValue<string>());
            Assert.StartsWith(path["path"]!.GetValue<string>(), "/" + ExchangeSender.Path, StringComparison.Ordinal);
            var backend = path["backend"]!["service"]!;
            var service = Assert.Single(objects, o => Kind(o) == "Service" && Name(o) == backend["name"]!.GetValue<string>());
            Assert.All(service["spec"]!["selector"]!.AsObject(), s => Assert.Equal(s.Value!.GetValue<string>(), siloPodLabels[s.Key]?.GetValue<string>()));
            var servicePort = Assert.Single(service["spec"]!["ports"]!.AsArray(), p => Name(p!) == backend["port"]!["name"]!.GetValue<string>())!;
            Assert.Equal("exchange", servicePort["targetPort"]!.GetValue<string>());
        }

        var maxMessage = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "silo", "MutualAssistance.Silo", "appsettings.json")))!["Exchange"]!["MaxMessageBytes"]!.GetValue<long>();
        var bodySize = ingress["metadata"]!["annotations"]!["nginx.ingress.kubernetes.io/proxy-body-size"]!.GetValue<string>();
        Assert.InRange(NginxSize(bodySize), maxMessage, maxMessage + (16 * 1024));

        // Traffic: the ingress controller reaches the silos' http port, and the silos reach the peers on 443
        // (to given addresses), besides DNS and PostgreSQL.
        var policies = objects.Where(o => Kind(o) == "NetworkPolicy" && Selects(o["spec"]!["podSelector"]!, siloPodLabels)).ToList();
        var exchange = Assert.Single(policies, p => Name(p) == "mutual-assistance-exchange");
        Assert.Equal(["Ingress", "Egress"], exchange["spec"]!["policyTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        var fromController = Assert.Single(exchange["spec"]!["ingress"]!.AsArray())!;
        Assert.Equal([exchangePort], Ports(fromController));
        Assert.All(fromController["from"]!.AsArray(), f => Assert.Equal("ingress-nginx", f!["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]?.GetValue<string>()));
        var toPeers = Assert.Single(exchange["spec"]!["egress"]!.AsArray())!;
        Assert.Equal([443], Ports(toPeers));
        Assert.All(toPeers["to"]!.AsArray(), t => Assert.NotNull(t!["ipBlock"]?["cidr"]));
        var egressPorts = policies.SelectMany(p => p["spec"]!["egress"]?.AsArray() ?? []).SelectMany(r => Ports(r!)).ToHashSet();
        Assert.Superset(new HashSet<int> { 53, 5432, 443 }, egressPorts);
    }

    /// <summary>The exchange listener's settings, which a node's ConfigMap gives beside its Node settings.</summary>
    private const string ListenerPrefix = "Exchange__Listener__";

    private static string? Kind(JsonNode node) => node["kind"]?.GetValue<string>();

    private static string? Name(JsonNode node) => (node["metadata"]?["name"] ?? node["name"])?.GetValue<string>();

    private static string[] Codes(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];

    private static int[] Ports(JsonNode rule) => [.. (rule["ports"]?.AsArray() ?? []).Select(p => p!["port"]!.GetValue<int>())];

    /// <summary>A NetworkPolicy's podSelector against a pod's labels (matchLabels, and matchExpressions with In).</summary>
    private static bool Selects(JsonNode selector, JsonObject labels) =>
        (selector["matchLabels"]?.AsObject() ?? []).All(l => labels[l.Key]?.GetValue<string>() == l.Value!.GetValue<string>())
        && (selector["matchExpressions"]?.AsArray() ?? []).All(e =>
            e!["operator"]!.GetValue<string>() == "In"
            && e["values"]!.AsArray().Any(v => v!.GetValue<string>() == labels[e["key"]!.GetValue<string>()]?.GetValue<string>()));

    /// <summary>nginx's size syntax: bytes, or k/m (KiB, MiB).</summary>
    private static long NginxSize(string size) => char.ToLowerInvariant(size[^1]) switch
    {
        'k' => long.Parse(size[..^1], CultureInfo.InvariantCulture) * 1024,
        'm' => long.Parse(size[..^1], CultureInfo.InvariantCulture) * 1024 * 1024,
        _ => long.Parse(size, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The Node__* variables the silo container gets: the ConfigMaps it takes whole (envFrom), overridden by its
    /// explicit env (as in Kubernetes). The ConfigMap the base names must be among them.
    /// </summary>
    private static Dictionary<string, string> SiloNodeSettings(List<JsonNode> objects)
    {
        var silo = Assert.Single(objects, o => Kind(o) == "Deployment" && Name(o) == "mutual-assistance-silo");
        var container = silo["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => Name(c!) == "silo")!;
        var whole = (container["envFrom"]?.AsArray() ?? []).Where(e => e!["configMapRef"] is not null).ToList();
        Assert.Contains(whole, e => e!["configMapRef"]!["name"]!.GetValue<string>() == "mutual-assistance-node" && e["prefix"] is null);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in whole)
        {
            var configMap = Assert.Single(objects, o => Kind(o) == "ConfigMap" && Name(o) == source!["configMapRef"]!["name"]!.GetValue<string>());
            foreach (var (key, value) in configMap["data"]?.AsObject() ?? [])
            {
                settings[(source!["prefix"]?.GetValue<string>() ?? "") + key] = value!.GetValue<string>();
            }
        }

        Assert.DoesNotContain(container["env"]!.AsArray(), e => Name(e!)!.StartsWith("Node__", StringComparison.Ordinal));
        return settings.Where(s => s.Key.StartsWith("Node__", StringComparison.Ordinal) || s.Key.StartsWith(ListenerPrefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>Environment variables as the silo's configuration sees them ('__' is the section separator).</summary>
    private static IConfiguration Configuration(IReadOnlyDictionary<string, string> variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), (string?)v.Value)))
            .Build();

    private static Task<List<JsonNode>> Objects(string overlay) => ObjectsAt(Path.Combine("overlays", overlay));

    private static async Task<List<JsonNode>> ObjectsAt(string path)
    {
        var (exit, json) = await Pipe("node", [Path.Combine(Root, "tests", "k8s-validation", "to-json.mjs")], await RenderAt(path));
        Assert.True(exit == 0, json);
        return [.. JsonNode.Parse(json)!.AsArray().Select(n => n!)];
    }

    private static Task<string> Render(string overlay) => RenderAt(Path.Combine("overlays", overlay));

    /// <summary>kubectl kustomize of a folder under k8s/.</summary>
    private static Task<string> RenderAt(string path) =>
        ProcessRunner.RunAsync("kubectl", ["kustomize", Path.Combine(Root, "k8s", path)], TimeSpan.FromMinutes(1));

    private static async Task<(int Exit, string Output)> Pipe(string file, IEnumerable<string> arguments, string input)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }


}
