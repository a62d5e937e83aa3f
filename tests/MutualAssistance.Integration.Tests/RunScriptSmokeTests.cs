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
/// starts a silo and the API, serves a POST and a GET, and on SIGTERM stops everything it started.
/// Runs what `dotnet test` has just built (--no-build).
/// </summary>
public sealed class RunScriptSmokeTests
{
    [Fact]
    public async Task Run_sh_starts_serves_and_stops_without_leaving_processes()
    {
        var cancel = TestContext.Current.CancellationToken;
        var state = Path.Combine(Path.GetTempPath(), "ma-run-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(state);
        var ports = new Dictionary<string, int>
        {
            ["MA_API_PORT"] = FreePort.Next(),
            ["MA_PG_PORT"] = FreePort.Next(),
            ["MA_SILO_PORT"] = FreePort.Next(),
            ["MA_GATEWAY_PORT"] = FreePort.Next(),
            ["MA_SILO_HTTP_PORT"] = FreePort.Next(),
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
        start.Environment.Remove("ConnectionStrings__Postgres");
        start.Environment["MA_STATE_DIR"] = state;
        foreach (var (name, port) in ports)
        {
            start.Environment[name] = port.ToString(CultureInfo.InvariantCulture);
        }

        // Beside the developer's own (dotnet user-jwts) keys, the API also trusts the test tokens' key.
        start.Environment["Authentication__Schemes__Bearer__ValidIssuers__0"] = TestTokens.Issuer;
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__9"] = TestTokens.Audience;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__9__Issuer"] = TestTokens.Issuer;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__9__Value"] = TestTokens.Settings["Authentication:Schemes:Bearer:SigningKeys:0:Value"];

        using var run = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("run.sh: ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        run.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();

        try
        {
            var started = Stopwatch.StartNew();
            await Task.WhenAny(ready.Task, run.WaitForExitAsync(cancel), Task.Delay(TimeSpan.FromSeconds(120), cancel));
            Assert.True(ready.Task.IsCompleted, "run.sh was not ready within 120 s:\n" + string.Join('\n', output));
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(120));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports["MA_API_PORT"]}") };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For("RU-GP", "filer"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient().GetAsync($"http://127.0.0.1:{ports["MA_API_PORT"]}/api/requests", cancel)).StatusCode);
            var created = await http.PostAsJsonAsync("/api/requests", new
            {
                requestingAuthority = "RU-GP",
                requestedAuthority = "KZ-GP",
                legalBasis = "treaty",
                assistanceTypes = new[] { "service-of-documents" },
                subject = "Service of a summons",
                summaryOfFacts = "A witness summons to be served in Astana.",
            }, cancel);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("id").GetGuid();
            var read = await http.GetAsync($"/api/requests/{id}", cancel);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        finally
        {
            if (!run.HasExited)
            {
                await ProcessRunner.RunAsync("kill", ["-TERM", run.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await run.WaitForExitAsync(patience.Token);
        }

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(output, line => line.Contains("run.sh: stopped", StringComparison.Ordinal));
        foreach (var (name, port) in ports)
        {
            Assert.False(Listening(port), $"{name} {port} still listens after run.sh stopped.");
        }

        var leftovers = await ProcessRunner.RunAsync("ps", ["-eo", "pid,args"], TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(state, leftovers, StringComparison.Ordinal);
        Directory.Delete(state, recursive: true);
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
