using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Api;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A silo killed under load, seen from the API's callers: filings retried with the same Idempotency-Key until
/// they get an answer name one request and file it once; every action answered 200 is in the final state and the
/// history exactly once (a retry names the version it saw, so a landed action is never applied twice); no request
/// is left unreadable; failures in between are 503s or 504s that say what is known (a write: not applied, or outcome
/// unknown; a read: unavailable), never 500s.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SiloFailureOverHttpTests(DatabaseFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly ConcurrentDictionary<string, int> ProblemTypes = new();

    private static JsonObject Filing(string subject) => new()
    {
        ["requestingAuthority"] = "KZ-GP", ["requestedAuthority"] = "CN-MOJ", ["legalBasis"] = "eio",
        ["assistanceTypes"] = new JsonArray("taking-evidence"), ["subject"] = subject, ["summaryOfFacts"] = "f",
    };

    [Fact]
    public async Task Killing_a_silo_under_http_load_files_each_idempotency_key_once_and_loses_no_acknowledged_action()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("silo_kill_http");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2, serviceId: ApiFactory.ServiceId);
        await using var api = ApiFactory.Create(connectionString, cluster.Options.ClusterId);
        var filer = api.As("KZ-GP", "filer");
        var handler = api.As("CN-MOJ", "handler");
        var statuses = new ConcurrentDictionary<int, int>();

        // Requests in execution for the action workers, at version 2.
        var busy = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            using var filed = await filer.PostAsJsonAsync("/api/requests", Filing($"busy {i}"), Cancel);
            var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
            using var accepted = await Act(handler, id, "accept", "\"1\"");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            busy.Add(id);
        }

        var answers = new ConcurrentDictionary<string, ConcurrentBag<Guid>>();
        var applied = new ConcurrentDictionary<Guid, int>();
        var ambiguous = new ConcurrentDictionary<Guid, int>();
        using var stop = new CancellationTokenSource();

        async Task File(int worker)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                // One key until it is answered, however many attempts that takes (the caller's duty under RFC-style idempotency).
                var key = $"kill-{worker}-{n}";
                var bag = answers.GetOrAdd(key, _ => []);
                for (var attempt = 0; bag.IsEmpty; attempt++)
                {
                    Assert.True(attempt < 200, $"{key} never answered");
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = JsonContent.Create(Filing($"kill {worker}/{n}")) };
                    request.Headers.Add("Idempotency-Key", key);
                    using var response = await Send(filer, request, statuses);
                    if (response is { StatusCode: HttpStatusCode.Created or HttpStatusCode.OK })
                    {
                        bag.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid());
                    }
                    else
                    {
                        await Task.Delay(50, Cancel);
                    }
                }
            }
        }

        async Task Work(Guid id)
        {
            var etag = "\"2\"";
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/partially-execute") { Content = JsonContent.Create(new { }) };
                request.Headers.TryAddWithoutValidation("If-Match", etag);
                using (var response = await Send(handler, request, statuses))
                {
                    if (response?.StatusCode == HttpStatusCode.OK)
                    {
                        applied.AddOrUpdate(id, 1, (_, k) => k + 1);
                        etag = response.Headers.ETag!.Tag;
                        continue;
                    }

                    if (response?.StatusCode != HttpStatusCode.PreconditionFailed)
                    {
                        ambiguous.AddOrUpdate(id, 1, (_, k) => k + 1); // cut off: it may or may not have landed
                    }
                }

                etag = await CurrentETag(handler, id, statuses);
            }
        }

        var load = Enumerable.Range(0, 4).Select(w => Task.Run(() => File(w))).Concat(busy.Select(id => Task.Run(() => Work(id)))).ToArray();
        int Filed() => answers.Values.Count(b => !b.IsEmpty);
        int Applied() => applied.Values.Sum();

        await Poll.Until(() => Filed() >= 10 && Applied() >= 20, TimeSpan.FromSeconds(60), "load before the kill", Cancel);
        await cluster.KillSiloAsync(cluster.Silos[1], Cancel);
        var (filedAtKill, appliedAtKill) = (Filed(), Applied());
        await Poll.Until(() => Filed() >= filedAtKill + 20 && Applied() >= appliedAtKill + 40, TimeSpan.FromSeconds(90), "load after the kill", Cancel);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        TestContext.Current.TestOutputHelper?.WriteLine($"statuses: {string.Join(", ", statuses.OrderBy(s => s.Key))} ({string.Join(", ", ProblemTypes.OrderBy(p => p.Key))}); filed {Filed()} ({filedAtKill} at the kill), applied {Applied()} ({appliedAtKill}), cut off {ambiguous.Values.Sum()}, keys retried {answers.Count}");
        Assert.DoesNotContain(statuses.Keys, s => s is 500 or 409 or 422);
        var reader = api.As("CN-MOJ", "viewer");
        foreach (var (key, ids) in answers)
        {
            var id = Assert.Single(ids.Distinct());
            var history = (await reader.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel)).GetProperty("items");
            Assert.Equal(1, history.EnumerateArray().Count(e => e.GetProperty("event").GetString() == "file"));
        }

        foreach (var id in busy)
        {
            var history = (await reader.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel)).GetProperty("items");
            var recorded = history.EnumerateArray().Count(e => e.GetProperty("event").GetString() == "partially-execute");
            Assert.InRange(recorded, applied.GetValueOrDefault(id), applied.GetValueOrDefault(id) + ambiguous.GetValueOrDefault(id));
            var view = await reader.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
            Assert.Equal(2 + recorded, view.GetProperty("version").GetInt32());
            var verification = await reader.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history/verification", Cancel);
            Assert.True(verification.GetProperty("intact").GetBoolean());
        }
    }

    private static async Task<HttpResponseMessage> Act(HttpClient client, Guid id, string action, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>
    /// Sends, counting the status (a 503 or 504 with its problem type, e.g. "503 outcome-unknown"); a call cut off
    /// without an answer counts as -1 and returns null.
    /// </summary>
    private static async Task<HttpResponseMessage?> Send(HttpClient client, HttpRequestMessage request, ConcurrentDictionary<int, int> statuses)
    {
        try
        {
            var response = await client.SendAsync(request, Cancel);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, k) => k + 1);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
            {
                var type = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).TryGetProperty("type", out var t) ? t.GetString() : null;
                var expected = request.Method == HttpMethod.Get ? [ClusterUnavailableHandler.Unavailable] : new[] { ClusterUnavailableHandler.NotApplied, ClusterUnavailableHandler.OutcomeUnknown };
                ProblemTypes.AddOrUpdate($"{request.Method} {(int)response.StatusCode} {type?[(type.LastIndexOf('/') + 1)..]}", 1, (_, k) => k + 1);
                Assert.Contains(type, expected);
            }

            return response;
        }
        catch (HttpRequestException)
        {
            statuses.AddOrUpdate(-1, 1, (_, k) => k + 1);
            return null;
        }
    }

    private static async Task<string> CurrentETag(HttpClient client, Guid id, ConcurrentDictionary<int, int> statuses)
    {
        while (true)
        {
            using (var response = await Send(client, new HttpRequestMessage(HttpMethod.Get, $"/api/requests/{id}"), statuses))
            {
                if (response?.StatusCode == HttpStatusCode.OK)
                {
                    return response.Headers.ETag!.Tag;
                }
            }

            await Task.Delay(50, Cancel);
        }
    }
}
