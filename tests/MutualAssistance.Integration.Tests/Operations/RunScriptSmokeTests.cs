using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// ./run.sh as a newcomer runs it: it creates its own PostgreSQL (in a temporary state folder), migrates,
/// starts a silo serving the API (co-hosted; with <c>--separate-api</c>, a silo and the API's own process),
/// serves a POST and a GET, and on SIGTERM stops everything it started. With <c>--silos 2</c>, a silo killed
/// with SIGKILL is reported and started again while the other keeps serving.
/// Runs what `dotnet test` has just built (--no-build).
/// </summary>
[Trait("Category", "Slow")]
public sealed class RunScriptSmokeTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("co-hosted")]
    [InlineData("separate")]
    public async Task Run_sh_starts_serves_and_stops_without_leaving_processes(string hosting)
    {
        await using var run = await RunScript.StartAsync(hosting == "separate" ? ["--separate-api"] : []);
        Assert.Contains(run.Output, line => line.Contains(hosting == "separate" ? "(separate process" : "(co-hosted in silo 0", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync($"{run.BaseAddress}health/ready", Cancel)).StatusCode);
        using var http = run.Client("RU-GP", "filer");
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient().GetAsync($"{run.BaseAddress}api/requests", Cancel)).StatusCode);
        var id = await File(http);
        var read = await http.GetAsync($"/api/requests/{id}", Cancel);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        // The page is told to sign in at run.sh's identity provider, and the mail inbox serves.
        var signIn = await new HttpClient().GetFromJsonAsync<JsonElement>($"{run.BaseAddress}page/sign-in", Cancel);
        Assert.Equal(run.IdentityProvider.AbsoluteUri, signIn.GetProperty("issuer").GetString());
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync(run.MailInbox, Cancel)).StatusCode);
        await run.StopAndCheckAsync();
    }

    [Fact]
    public async Task The_READMEs_curl_session_runs_as_written_against_run_sh()
    {
        // The session as the README shows it, pasted into bash; only the API's port is this test's. Its tokens come
        // from dotnet user-jwts, whose signing key run.sh's silo reads at start: made first, as a developer's would be.
        var readme = await System.IO.File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"), Cancel);
        var from = readme.IndexOf("### A session with curl", StringComparison.Ordinal);
        var start = readme.IndexOf("```bash\n", from, StringComparison.Ordinal) + "```bash\n".Length;
        var session = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        await ProcessRunner.RunAsync("dotnet", ["user-jwts", "create", "--project", "api/MutualAssistance.Api.Host", "-o", "token"], TimeSpan.FromMinutes(1), Repository.Root);

        await using var run = await RunScript.StartAsync();
        var pasted = "set -euo pipefail\n" + session.Replace("http://127.0.0.1:5080/", run.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        var output = await ProcessRunner.RunAsync("bash", ["-c", pasted], TimeSpan.FromMinutes(2), Repository.Root);

        Assert.Contains("HTTP/1.1 201 Created", output, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 OK", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"acknowledged\"", output, StringComparison.Ordinal);
        Assert.Contains("\"status\":409", output, StringComparison.Ordinal);
        await run.StopAndCheckAsync();
    }

    [Fact]
    public async Task Run_sh_with_two_silos_keeps_serving_when_one_is_killed_and_starts_it_again()
    {
        await using var run = await RunScript.StartAsync("--silos", "2");
        using var http = run.Client("RU-GP", "filer");
        var before = await File(http);
        var victim = int.Parse(Assert.Single(run.Output, line => line.TrimStart().StartsWith("silo 1 ", StringComparison.Ordinal)).Split("pid ")[^1], CultureInfo.InvariantCulture);

        await ProcessRunner.RunAsync("kill", ["-KILL", victim.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        var killed = Stopwatch.StartNew();
        await run.WaitForLineAsync($"silo 1 (pid {victim}) exited with status 137; 1 of 2 silos keep serving", TimeSpan.FromSeconds(10));
        Assert.Contains(run.Output, line => line.Contains("restarting silo 1", StringComparison.Ordinal));

        // The survivor serves: the request filed before the kill is read, and new ones are filed (retried while the
        // cluster fails over, with an Idempotency-Key so that a retry never files twice).
        await Poll.Until(async () => (await http.GetAsync($"/api/requests/{before}", Cancel)).StatusCode == HttpStatusCode.OK ? (object)true : null,
            TimeSpan.FromSeconds(20), "the request filed before the kill, read after it", Cancel);
        var after = await Poll.Until(async () => await TryFile(http, "after-kill") is { } id ? (object)id : null,
            TimeSpan.FromSeconds(20), "a request filed after the kill", Cancel);
        TestContext.Current.TestOutputHelper?.WriteLine($"served again {killed.Elapsed.TotalSeconds:0.0} s after the kill");
        Assert.False(run.HasExited, "run.sh stopped when a silo died:\n" + string.Join('\n', run.Output));

        await run.WaitForLineAsync("silo 1 ready again", TimeSpan.FromSeconds(90));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/requests/{(Guid)after}", Cancel)).StatusCode);
        await run.StopAndCheckAsync();
    }

    [Fact]
    public async Task Run_sh_federation_starts_two_nodes_that_exchange_and_a_killed_node_gets_what_waited_once_after_its_restart()
    {
        await using var run = await RunScript.StartAsync("--federation");
        Assert.Contains(run.Output, line => line.TrimStart().StartsWith("node KZ", StringComparison.Ordinal)
            && line.Contains("sends to CN at http://localhost:", StringComparison.Ordinal));
        using var kz = run.Client("KZ-GP", "filer");
        using var cn = run.Client("CN-MOJ", "handler");
        cn.BaseAddress = new Uri($"http://127.0.0.1:{run.BaseAddress.Port + 100}/");

        var id = await File(kz, FederationCalls.Body("Across run.sh's two nodes"));
        await Poll.Until(async () => (await cn.GetAsync($"/api/requests/{id}", Cancel)).StatusCode == HttpStatusCode.OK ? (object)true : null,
            TimeSpan.FromSeconds(20), "the filing on node CN", Cancel);
        var acknowledge = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/acknowledge") { Content = JsonContent.Create(new { }) };
        acknowledge.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await cn.SendAsync(acknowledge, Cancel)).StatusCode);
        await Poll.Until(async () => (await kz.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel)).GetProperty("status").GetString() == "acknowledged" ? (object)true : null,
            TimeSpan.FromSeconds(20), "acknowledged on node KZ", Cancel);

        // Node CN's silo killed: node KZ keeps serving its callers; what they file waits and arrives once CN is back.
        var victim = int.Parse(Assert.Single(run.Output, line => line.TrimStart().StartsWith("silo 1 ", StringComparison.Ordinal)).Split("pid ")[^1], CultureInfo.InvariantCulture);
        await ProcessRunner.RunAsync("kill", ["-KILL", victim.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        var waited = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            waited.Add(await File(kz, FederationCalls.Body($"Filed while node CN was down {i}")));
        }

        await run.WaitForLineAsync("silo 1 ready again", TimeSpan.FromSeconds(90));
        foreach (var filed in waited)
        {
            var history = await Poll.Until(async () =>
            {
                var response = await cn.GetAsync($"/api/requests/{filed}/history", Cancel);
                return response.StatusCode == HttpStatusCode.OK ? (object)await response.Content.ReadFromJsonAsync<JsonElement>(Cancel) : null;
            }, TimeSpan.FromSeconds(60), $"filing {filed} on node CN after its restart", Cancel);
            Assert.Equal(1, ((JsonElement)history).GetProperty("items").GetArrayLength());
        }

        await run.StopAndCheckAsync();
    }

    private static object Filing() => new
    {
        requestingAuthority = "RU-GP",
        requestedAuthority = "KZ-GP",
        legalBasis = TestReferenceData.TreatyBasis,
        assistanceTypes = new[] { "service-of-documents" },
        subject = "Service of a summons",
        summaryOfFacts = "A witness summons to be served in Astana.",
    };

    private static async Task<Guid> File(HttpClient http, object? body = null)
    {
        var created = await http.PostAsJsonAsync("/api/requests", body ?? Filing(), Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private static async Task<Guid?> TryFile(HttpClient http, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Filing()) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, Cancel);
        return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK
            ? (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid()
            : null;
    }

    /// <summary>One ./run.sh in a state folder and on ports of its own; stopped (SIGTERM) when disposed.</summary>
    private sealed class RunScript : IAsyncDisposable
    {
        private readonly Process process;
        private readonly string state;
        private readonly Dictionary<string, int> ports;
        private readonly ConcurrentQueue<string> output = new();

        private readonly int silos;

        private RunScript(Process process, string state, Dictionary<string, int> ports, int silos)
        {
            this.process = process;
            this.state = state;
            this.ports = ports;
            this.silos = silos;
        }

        public IReadOnlyCollection<string> Output => output;

        public bool HasExited => process.HasExited;

        public Uri BaseAddress => new($"http://127.0.0.1:{ports["MA_API_PORT"]}/");

        public Uri IdentityProvider => new($"http://127.0.0.1:{ports["MA_IDP_PORT"]}/");

        public Uri MailInbox => new($"http://127.0.0.1:{ports["MA_MAIL_PORT"]}/");

        public static async Task<RunScript> StartAsync(params string[] arguments)
        {
            var state = Path.Combine(Path.GetTempPath(), "ma-run-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(state);
            var ports = new Dictionary<string, int>
            {
                // Co-hosted, silo i serves the API on MA_API_PORT+i.
                ["MA_API_PORT"] = FreePort.Block(4),
                ["MA_PG_PORT"] = FreePort.Next(),
                // Silo i listens on base+i: blocks of consecutive free ports, not single ones that may sit side by side.
                ["MA_SILO_PORT"] = FreePort.Block(4),
                ["MA_GATEWAY_PORT"] = FreePort.Block(4),
                ["MA_SILO_HTTP_PORT"] = FreePort.Block(4),
                ["MA_IDP_PORT"] = FreePort.Next(),
                ["MA_MAIL_PORT"] = FreePort.Next(),
                ["MA_SMTP_PORT"] = FreePort.Next(),
                // With --federation, node i's exchange listener is MA_EXCHANGE_PORT+i.
                ["MA_EXCHANGE_PORT"] = FreePort.Block(4),
            };

            var start = new ProcessStartInfo("bash")
            {
                WorkingDirectory = Repository.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("run.sh");
            start.ArgumentList.Add("--no-build");
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Remove("ConnectionStrings__Postgres");
            start.Environment["MA_STATE_DIR"] = state;
            foreach (var (name, port) in ports)
            {
                start.Environment[name] = port.ToString(CultureInfo.InvariantCulture);
            }

            // With --federation, node KZ reaches node CN by another name for the same listener (where an operator
            // would name a proxy between the nodes): the exchange still works only if run.sh passes it on.
            start.Environment["MA_EXCHANGE_URL_CN"] = $"http://localhost:{ports["MA_EXCHANGE_PORT"] + 1}/";

            // Beside the developer's own (dotnet user-jwts) keys, the API also trusts the test tokens' key.
            start.Environment["Authentication__Schemes__Bearer__ValidIssuers__0"] = TestTokens.Issuer;
            start.Environment["Authentication__Schemes__Bearer__ValidAudiences__9"] = TestTokens.Audience;
            start.Environment["Authentication__Schemes__Bearer__SigningKeys__9__Issuer"] = TestTokens.Issuer;
            start.Environment["Authentication__Schemes__Bearer__SigningKeys__9__Value"] = TestTokens.Settings["Authentication:Schemes:Bearer:SigningKeys:0:Value"];

            var silos = arguments.SkipWhile(a => a != "--silos").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1);
            var run = new RunScript(Process.Start(start)!, state, ports, silos);
            run.process.OutputDataReceived += (_, e) => { if (e.Data is not null) { run.output.Enqueue(e.Data); } };
            run.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { run.output.Enqueue(e.Data); } };
            run.process.BeginOutputReadLine();
            run.process.BeginErrorReadLine();
            try
            {
                await run.WaitForLineAsync("run.sh: ready", TimeSpan.FromSeconds(60 + (60 * silos)));
                // The summary (addresses, pids) follows "ready"; its last line says how to stop.
                await run.WaitForLineAsync("Ctrl-C (or SIGTERM to this script", TimeSpan.FromSeconds(10));
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        public HttpClient Client(string authority, string role)
        {
            var http = new HttpClient { BaseAddress = BaseAddress };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For(authority, role));
            return http;
        }

        /// <summary>Waits for a line of run.sh's output containing <paramref name="text"/>; fails, with the output, if run.sh exits first.</summary>
        public async Task WaitForLineAsync(string text, TimeSpan patience)
        {
            await Poll.Until(() => output.Any(line => line.Contains(text, StringComparison.Ordinal)) || process.HasExited, patience,
                $"'{text}' from run.sh:\n{string.Join('\n', output)}", Cancel);
            Assert.True(output.Any(line => line.Contains(text, StringComparison.Ordinal)), $"run.sh exited before '{text}':\n{string.Join('\n', output)}");
        }

        /// <summary>SIGTERM; then run.sh says it stopped, exits 0, and leaves no process or listening port behind.</summary>
        public async Task StopAndCheckAsync()
        {
            await StopAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains(output, line => line.Contains("run.sh: stopped", StringComparison.Ordinal));
            foreach (var (name, port) in ports)
            {
                // Silo i listens on base + i (co-hosted, its HTTP port is MA_API_PORT + i).
                var count = name is "MA_PG_PORT" or "MA_IDP_PORT" or "MA_MAIL_PORT" or "MA_SMTP_PORT" ? 1 : silos;
                for (var i = 0; i < count; i++)
                {
                    Assert.False(Listening(port + i), $"{name} {port} + {i} still listens after run.sh stopped.");
                }
            }

            var leftovers = await ProcessRunner.RunAsync("ps", ["-eo", "pid,args"], TimeSpan.FromSeconds(5));
            Assert.DoesNotContain(state, leftovers, StringComparison.Ordinal);
            Directory.Delete(state, recursive: true);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            process.Dispose();
        }

        private async Task StopAsync()
        {
            if (!process.HasExited)
            {
                await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(patience.Token);
        }

        private static bool Listening(int port)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
