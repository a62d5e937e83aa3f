using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using MutualAssistance.Silo.Exchange;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// k8s/ without a cluster: each overlay renders with <c>kubectl kustomize</c>, every rendered object validates
/// offline against the Kubernetes schemas (tests/k8s-validation, npm kubernetes-models), and our own rules hold.
/// dev and production are the co-hosted shape (the silos serve the API); production-separate-api adds the
/// separate-api component (the API in Deployments of its own, the silos private). All three, like the base, are one
/// node serving every authority.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Root = Repository.Root;

    public static TheoryData<string> Overlays() => new() { "dev", "production", "production-separate-api" };

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

    private static string? Kind(JsonNode node) => node["kind"]?.GetValue<string>();

    private static string? Name(JsonNode node) => (node["metadata"]?["name"] ?? node["name"])?.GetValue<string>();

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
        return settings.Where(s => s.Key.StartsWith("Node__", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
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
