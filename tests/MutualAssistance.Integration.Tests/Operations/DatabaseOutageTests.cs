using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// PostgreSQL stopped for 10 seconds under load, on a server of its own: meanwhile callers get 503 with
/// Retry-After (never a 500), nothing half-written remains, and the system recovers without restarting the
/// silo or the API. Every request that was acknowledged with a 201 is there afterwards.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DatabaseOutageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("separate")]
    [InlineData("co-hosted")]
    public async Task A_ten_second_database_outage_gives_503s_loses_nothing_and_heals_itself(string hosting)
    {
        // The outage is a crash of the server (immediate stop): commits must be durable, or the last ones are lost.
        await using var server = await PostgresServer.StartAsync(durableCommits: true);
        var connectionString = await server.CreateMigratedDatabaseAsync("outage");
        var clusterId = "outage-" + Guid.NewGuid().ToString("N")[..8];
        var coHosted = hosting == "co-hosted";
        var settings = coHosted
            ? new Dictionary<string, string?>(TestTokens.Settings.Select(t => KeyValuePair.Create(t.Key, (string?)t.Value)))
            {
                [MutualAssistance.Silo.SiloHostingExtensions.ApiHostingSetting] = MutualAssistance.Silo.SiloHostingExtensions.CoHosted,
                ["RateLimiting:PermitsPerSecond"] = "10000",
                ["RateLimiting:Burst"] = "10000",
                ["RateLimiting:Anonymous:PermitsPerSecond"] = "10000",
                ["RateLimiting:Anonymous:Burst"] = "10000",
            }
            : null;
        await using var silo = await InProcessSilo.StartAsync(connectionString, clusterId, settings: settings,
            configure: coHosted ? services => services.AddExceptionHandler<Recorder>() : null);
        await using var api = coHosted ? null : ApiFactory.Create(connectionString, clusterId).WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddExceptionHandler<Recorder>()));
        HttpClient As(string authority, string role)
        {
            if (api is not null)
            {
                return api.As(authority, role);
            }

            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}/") };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For(authority, role));
            return client;
        }

        var filer = As("KZ-GP", "filer");

        var acknowledged = new ConcurrentBag<Guid>();
        var statuses = new ConcurrentDictionary<int, int>();
        var retryAfterOn503 = true;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var body = new JsonObject
                {
                    ["requestingAuthority"] = "KZ-GP", ["requestedAuthority"] = "CN-MOJ", ["legalBasis"] = TestReferenceData.TreatyBasis,
                    ["assistanceTypes"] = new JsonArray("other"), ["subject"] = $"outage {worker}/{i++}", ["summaryOfFacts"] = "f",
                };
                try
                {
                    using var response = await filer.PostAsJsonAsync("/api/requests", body, Cancel);
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid());
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                    {
                        retryAfterOn503 = false;
                    }
                }
                catch (TaskCanceledException) when (!stop.IsCancellationRequested)
                {
                    statuses.AddOrUpdate(-1, 1, (_, n) => n + 1); // a client timeout
                }

                await Task.Delay(20, Cancel);
            }
        })).ToArray();

        await Poll.Until(() => acknowledged.Count >= 20, TimeSpan.FromSeconds(30), "20 filings before the outage", Cancel);
        await server.PauseAsync();
        await Task.Delay(TimeSpan.FromSeconds(10), Cancel); // the outage the issue asks for, not a wait for a result
        await server.ResumeAsync();

        // Recovery without restarts: filings succeed again.
        var before = acknowledged.Count;
        await Poll.Until(() => acknowledged.Count >= before + 20, TimeSpan.FromSeconds(60), "20 filings after the outage", Cancel);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(statuses.GetValueOrDefault(503) > 0, $"no 503 during the outage: {string.Join(", ", statuses)} {string.Join(" | ", Recorder.Seen.Distinct())}");
        Assert.True(retryAfterOn503, "a 503 came without Retry-After");
        Assert.DoesNotContain(statuses.Keys, status => status >= 500 && status != 503);

        // Every acknowledged request is readable and consistent; its history verifies.
        var reader = As("CN-MOJ", "viewer");
        foreach (var id in acknowledged)
        {
            var response = await reader.GetAsync($"/api/requests/{id}", Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var verification = await reader.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history/verification", Cancel);
            Assert.True(verification.GetProperty("intact").GetBoolean(), $"{id}: {verification}");
        }
    }

    private sealed class Recorder : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
    {
        public static readonly ConcurrentBag<string> Seen = new();

        public ValueTask<bool> TryHandleAsync(Microsoft.AspNetCore.Http.HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            Seen.Add(exception.GetType().FullName + ": " + exception.Message[..Math.Min(120, exception.Message.Length)] + " / " + exception.InnerException?.GetType().FullName);
            return ValueTask.FromResult(false);
        }
    }
}
