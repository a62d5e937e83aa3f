using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Silo.Retention;
using MutualAssistance.Testing;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A silo and the API on a database of their own whose deadline time the tests move (years at a time), with a
/// retention rule of one year for treaty requests beside the default five years.
/// </summary>
public sealed class RetentionFixture(DatabaseFixture database) : IAsyncLifetime
{
    private InProcessSilo? silo;
    private WebApplicationFactory<Program>? api;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public WebApplicationFactory<Program> Api => api ?? throw new InvalidOperationException("Not started.");

    public string ConnectionString { get; private set; } = string.Empty;

    public RetentionSweep Sweep => silo!.Services.GetRequiredService<RetentionSweep>();

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateMigratedDatabaseAsync("retention");
        var clusterId = "retention-" + Guid.NewGuid().ToString("N")[..8];
        silo = await InProcessSilo.StartAsync(ConnectionString, clusterId,
            configure: services => services.AddKeyedSingleton<TimeProvider>(DeadlineTime.Key, Time),
            settings: new Dictionary<string, string?>
            {
                ["Retention:Rules:0:LegalBasis"] = TestReferenceData.TreatyBasis,
                ["Retention:Rules:0:Period"] = "P1Y",
            });
        api = ApiFactory.Create(ConnectionString, clusterId);
    }

    public async ValueTask DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RetentionCollection : ICollectionFixture<RetentionFixture>
{
    public const string Name = "retention";
}

/// <summary>
/// Retention by law: once an ended request's period has passed, the sweep destroys its data key (the personal data is
/// gone, the person search no longer finds it, the history still verifies) and logs the erasure; open requests and
/// those whose period runs on are untouched, and a second sweep finds nothing more.
/// </summary>
[Collection(RetentionCollection.Name)]
public sealed class RetentionTests(RetentionFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_ended_request_is_erased_when_its_period_passes_and_nothing_else_is()
    {
        var marker = "Rt" + Guid.NewGuid().ToString("N")[..10];
        var filer = fixture.Api.As("KZ-GP", "filer");
        async Task<Guid> File(string legalBasis)
        {
            var body = Requests.Json("Retention test", legalBasis: legalBasis);
            body["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = $"Person {marker}", ["role"] = "suspect" });
            var response = await filer.PostAsJsonAsync("/api/requests", body, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
            return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        }

        var treaty = await File(TestReferenceData.TreatyBasis);   // withdrawn: one year
        var eio = await File("eio");         // withdrawn: five years (the default)
        var open = await File(TestReferenceData.TreatyBasis);     // open: kept whatever the time
        await Withdraw(filer, treaty);
        await Withdraw(filer, eio);
        Assert.Equal(0, await fixture.Sweep.RunOnceAsync(Cancel));

        // A year and a day on: the treaty request goes, the others stay.
        fixture.Time.Advance(TimeSpan.FromDays(367));
        Assert.Equal(1, await fixture.Sweep.RunOnceAsync(Cancel));
        await AssertErased(filer, treaty);
        await AssertKept(filer, eio, marker);
        await AssertKept(filer, open, marker);
        Assert.Equal(0, await fixture.Sweep.RunOnceAsync(Cancel)); // once

        // Five years from the withdrawal: the EIO request too; the open one never.
        fixture.Time.Advance(TimeSpan.FromDays(4 * 366));
        Assert.Equal(1, await fixture.Sweep.RunOnceAsync(Cancel));
        await AssertErased(filer, eio);
        await AssertKept(filer, open, marker);
        Assert.Equal([open], await PersonSearch(filer, marker));

        // Each erasure is in the consultation log as the node's own act, with the retention as its purpose.
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT request_id, subject, purpose FROM audit_log WHERE action = 'request.erased' ORDER BY sequence");
        var logged = new List<(Guid, string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                logged.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.Equal([(treaty, "node:ALL", RetentionSweep.Purpose), (eio, "node:ALL", RetentionSweep.Purpose)], logged);
    }

    private static async Task Withdraw(HttpClient filer, Guid id)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/withdraw") { Content = JsonContent.Create(new { reason = "No longer needed" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await filer.SendAsync(request, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
    }

    private static async Task AssertErased(HttpClient client, Guid id)
    {
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("erasedAt").ValueKind);
        Assert.Empty(view.GetProperty("personsConcerned").EnumerateArray());
        Assert.Equal(string.Empty, view.GetProperty("summaryOfFacts").GetString());
        Assert.Equal("withdrawn", view.GetProperty("status").GetString());
        Assert.True((await client.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history/verification", Cancel)).GetProperty("intact").GetBoolean());
    }

    private static async Task AssertKept(HttpClient client, Guid id, string marker)
    {
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("erasedAt").ValueKind);
        Assert.Equal($"Person {marker}", Assert.Single(view.GetProperty("personsConcerned").EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains(id, await PersonSearch(client, marker));
    }

    private static async Task<List<Guid>> PersonSearch(HttpClient client, string marker)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/requests?person={marker}", Cancel);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
    }
}
