using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>The API (in memory) and a silo (in this process, real TCP) against a database of their own.</summary>
public sealed class ApiAndSiloTests(DatabaseFixture database)
{
    // Requested by a date after the filing day, as FilingRules demands (issue 24): counted from today, so that a
    // fixed date (it was 2027-01-15) does not pass into the past and start refusing the filing.
    private static readonly string RequestedBy = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly object Body = new
    {
        requestingAuthority = "KZ-GP",
        requestedAuthority = "CN-MOJ",
        legalBasis = TestReferenceData.TreatyBasis,
        assistanceTypes = new[] { "banking-information", "taking-evidence" },
        urgency = "urgent",
        requestedBy = RequestedBy,
        subject = "Fraud proceeds moved through Almaty accounts",
        summaryOfFacts = "Transfers between March and May 2026 through three accounts.",
        personsConcerned = new[] { new { name = "A. Person", nationality = "KZ", role = "suspect" } },
        requestingReference = "KZ-2026-0042",
        confidential = true,
        language = "ru",
    };

    [Fact]
    public async Task Post_then_get_returns_the_same_request_and_it_survives_a_silo_restart()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("api");
        var clusterId = "api-" + Guid.NewGuid().ToString("N")[..8];
        var silo = await InProcessSilo.StartAsync(connectionString, clusterId);
        await using var api = ApiFactory.Create(connectionString, clusterId);
        var http = api.As("KZ-GP", "filer");
        var cancel = TestContext.Current.CancellationToken;

        var created = await http.PostAsJsonAsync("/api/requests", Body, cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var filed = await created.Content.ReadFromJsonAsync<JsonElement>(cancel);
        var id = filed.GetProperty("id").GetGuid();
        Assert.Equal($"/api/requests/{id}", created.Headers.Location?.ToString());
        Assert.Equal("submitted", filed.GetProperty("status").GetString());
        Assert.Equal("urgent", filed.GetProperty("urgency").GetString());
        Assert.Equal("banking-information", filed.GetProperty("assistanceTypes")[0].GetString());
        Assert.Equal(RequestedBy, filed.GetProperty("requestedBy").GetString());

        var read = await http.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", cancel);
        Assert.Equal(WithoutAllowedActions(filed), WithoutAllowedActions(read));
        Assert.Equal(2, filed.GetProperty("clocks").GetArrayLength());

        await silo.DisposeAsync();
        await using var restarted = await InProcessSilo.StartAsync(connectionString, clusterId);

        // The API's client finds the new silo's gateway in the membership table within its refresh period.
        var afterRestart = await Eventually(() => http.GetAsync($"/api/requests/{id}", cancel), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
        var survived = await afterRestart.Content.ReadFromJsonAsync<JsonElement>(cancel);
        Assert.Equal(WithoutAllowedActions(filed), WithoutAllowedActions(survived));
    }

    [Fact]
    public async Task Invalid_bodies_get_problem_details_naming_the_field_and_store_nothing()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("api_invalid");
        var clusterId = "api-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await InProcessSilo.StartAsync(connectionString, clusterId);
        await using var api = ApiFactory.Create(connectionString, clusterId);
        var http = api.As("KZ-GP", "filer");
        var cancel = TestContext.Current.CancellationToken;

        var unknownEnum = await http.PostAsync("/api/requests", Json("""{"requestingAuthority":"KZ-GP","legalBasis":"hearsay"}"""), cancel);
        await AssertProblem(unknownEnum, "legalBasis");

        var missing = await http.PostAsJsonAsync("/api/requests", new { requestingAuthority = "KZ-GP", requestedAuthority = "CN-MOJ" }, cancel);
        await AssertProblem(missing, "subject");

        var future = await http.PostAsJsonAsync("/api/requests", new
        {
            requestingAuthority = "KZ-GP", requestedAuthority = "CN-MOJ", legalBasis = "eio", assistanceTypes = new[] { "other" },
            subject = "s", summaryOfFacts = "f", receivedAt = DateTimeOffset.UtcNow.AddDays(1),
        }, cancel);
        await AssertProblem(future, "receivedAt");

        var malformed = await http.PostAsync("/api/requests", Json("""{"subject": """), cancel);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        Assert.Equal(0, await StoredRequests(connectionString));
    }

    private static async Task AssertProblem(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for {field}: {problem}");
    }

    /// <summary>The request without the caller-dependent list of allowed actions.</summary>
    private static string WithoutAllowedActions(JsonElement request)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(request.GetRawText())!.AsObject();
        node.Remove("allowedActions");
        return node.ToJsonString();
    }

    private static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, "application/json");

    private static async Task<long> StoredRequests(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM orleans_storage", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<HttpResponseMessage> Eventually(Func<Task<HttpResponseMessage>> call, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var response = await call();
            if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(500);
        }
    }
}
