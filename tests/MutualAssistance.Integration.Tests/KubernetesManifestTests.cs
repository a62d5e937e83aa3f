using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// k8s/ without a cluster: each overlay renders with <c>kubectl kustomize</c>, every rendered object validates
/// offline against the Kubernetes schemas (tests/k8s-validation, npm kubernetes-models), and our own rules hold.
/// dev and production are the co-hosted shape (the silos serve the API); production-separate-api adds the
/// separate-api component (the API in Deployments of its own, the silos private).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Root = Repository.Root;

    public static TheoryData<string> Overlays() => new() { "dev", "production", "production-separate-api" };

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

    private static string? Kind(JsonNode node) => node["kind"]?.GetValue<string>();

    private static async Task<List<JsonNode>> Objects(string overlay)
    {
        var (exit, json) = await Pipe("node", [Path.Combine(Root, "tests", "k8s-validation", "to-json.mjs")], await Render(overlay));
        Assert.True(exit == 0, json);
        return [.. JsonNode.Parse(json)!.AsArray().Select(n => n!)];
    }

    private static Task<string> Render(string overlay) =>
        ProcessRunner.RunAsync("kubectl", ["kustomize", Path.Combine(Root, "k8s", "overlays", overlay)], TimeSpan.FromMinutes(1));

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
