using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using MutualAssistance.Persistence;
using MutualAssistance.Testing;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Personal data sealed at rest, through the API on a real silo and database: what is filed and every reason given
/// come back as they were on every read path (request, history, clocks, list, board, person search, after a read-model
/// rebuild), and no marker of them is anywhere in a pg_dump of the database, in the server's WAL, or in what the silo
/// and the API logged and traced. A lawful erasure then makes them unreadable for good while the history still verifies.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SealingTests(ApiFixture fixture, DatabaseFixture database)
{
    private const string Kz = "KZ-GP";
    private const string Cn = "CN-MOJ";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sealed_fields_round_trip_through_every_path_and_no_marker_reaches_the_database_its_wal_or_the_logs()
    {
        var marker = "Zq" + Guid.NewGuid().ToString("N")[..10];
        var latin = $"Gülnara Ivanova-{marker}";
        var cyrillic = $"Ёлкин Андрей {marker}";
        var chinese = "王小明" + marker;
        var facts = $"Transfers through three accounts, facts {marker}.";
        var reason = $"Need the bank's statement, reason {marker}";
        var filer = fixture.Api.As(Kz, "filer");
        var handler = fixture.Api.As(Cn, "handler");

        var body = new JsonObject
        {
            ["requestingAuthority"] = Kz, ["requestedAuthority"] = Cn, ["legalBasis"] = "eio",
            ["assistanceTypes"] = new JsonArray("banking-information"), ["subject"] = "Proceeds of fraud", ["summaryOfFacts"] = facts,
            ["personsConcerned"] = new JsonArray(
                new JsonObject { ["name"] = latin, ["role"] = "suspect" },
                new JsonObject { ["name"] = cyrillic, ["role"] = "witness" },
                new JsonObject { ["name"] = chinese, ["role"] = "victim" }),
        };
        var filed = await filer.PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        await Act(handler, id, "acknowledge", "1", null);
        await Act(handler, id, "request-information", "2", new JsonObject { ["reason"] = reason });

        // The request: facts, persons and the pause's reason as filed and given.
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.Equal(facts, view.GetProperty("summaryOfFacts").GetString());
        Assert.Equal([latin, cyrillic, chinese], view.GetProperty("personsConcerned").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Contains(view.GetProperty("clocks").EnumerateArray().SelectMany(c => c.GetProperty("pauses").EnumerateArray()), p => p.GetProperty("reason").GetString() == reason);

        // The history, with the reason, and a chain that verifies.
        var history = await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel);
        Assert.Contains(history.GetProperty("items").EnumerateArray(), e => e.GetProperty("reason").GetString() == reason);
        Assert.True((await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history/verification", Cancel)).GetProperty("intact").GetBoolean());

        // The list and the board from the read model, and the person search: case, diacritics, each script as typed.
        Assert.Contains(await ListIds(filer, ""), i => i == id);
        var board = await handler.GetFromJsonAsync<JsonElement>("/api/deadlines", Cancel);
        Assert.Contains(board.GetProperty("items").EnumerateArray(), i => i.GetProperty("requestId").GetGuid() == id);
        foreach (var query in new[] { $"gulnara IVANOVA {marker}", marker.ToUpperInvariant(), $"елкин {marker}", $"андрей ЁЛКИН {marker}", chinese })
        {
            Assert.Equal([id], await ListIds(filer, "?person=" + Uri.EscapeDataString(query)));
            Assert.Equal([id], await ListIds(handler, "?person=" + Uri.EscapeDataString(query)));
        }

        Assert.Empty(await ListIds(filer, $"?person={Uri.EscapeDataString("Ivanova-" + marker + " nobody")}"));
        Assert.Empty(await ListIds(fixture.Api.As("RU-GP", "handler"), $"?person={marker}")); // another authority's search finds nothing of it

        // A rebuilt read model serves the same.
        await ReadModelRebuild.RunAsync(fixture.ConnectionString, TestReferenceData.Folder, SealingKeys.Ring(), TextWriter.Null, Cancel);
        Assert.Contains(await ListIds(filer, ""), i => i == id);
        Assert.Equal(facts, (await handler.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel)).GetProperty("summaryOfFacts").GetString());

        // Nowhere at rest, nor in what the hosts logged and traced.
        var databaseName = new NpgsqlConnectionStringBuilder(fixture.ConnectionString).Database!;
        var dump = await database.Server.DumpAsync(databaseName);
        Assert.Contains(id.ToString(), dump, StringComparison.Ordinal); // the dump holds the request...
        Assert.DoesNotContain(marker, dump, StringComparison.OrdinalIgnoreCase); // ...but none of its personal data
        foreach (var segment in database.Server.WalSegments())
        {
            Assert.Equal(-1, segment.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)));
        }

        Assert.True(CapturedTelemetry.Count > 0);
        Assert.Empty(CapturedTelemetry.Containing(marker));
    }

    [Fact]
    public async Task A_lawful_erasure_destroys_the_personal_data_for_good_and_the_history_still_verifies()
    {
        var marker = "Er" + Guid.NewGuid().ToString("N")[..10];
        var filer = fixture.Api.As(Kz, "filer");
        var admin = fixture.Api.As(Kz, "admin");
        var body = new JsonObject
        {
            ["requestingAuthority"] = Kz, ["requestedAuthority"] = Cn, ["legalBasis"] = "eio",
            ["assistanceTypes"] = new JsonArray("banking-information"), ["subject"] = "To be erased", ["summaryOfFacts"] = $"Facts {marker}",
            ["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = $"Person {marker}", ["role"] = "suspect" }),
        };
        var filed = await filer.PostAsJsonAsync("/api/requests", body, Cancel);
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
        var order = new JsonObject { ["reason"] = "Order 2026/77 of the Astana city court" };

        // Open: not yet. Not an administrator, or no reason: refused, naming why. Nothing changed.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/requests/{id}/erasure", order, Cancel)).StatusCode);
        await Act(filer, id, "withdraw", "1", new JsonObject { ["reason"] = $"Withdrawn, {marker}" });
        Assert.Equal(HttpStatusCode.Forbidden, (await filer.PostAsJsonAsync($"/api/requests/{id}/erasure", order, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api.As("RU-GP", "admin").PostAsJsonAsync($"/api/requests/{id}/erasure", order, Cancel)).StatusCode); // not a party: as if absent
        var noReason = await admin.PostAsJsonAsync($"/api/requests/{id}/erasure", new JsonObject(), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal([id], await ListIds(filer, $"?person={marker}"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/requests/{Guid.NewGuid()}/erasure", order, Cancel)).StatusCode);

        var erased = await admin.PostAsJsonAsync($"/api/requests/{id}/erasure", order, Cancel);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/requests/{id}/erasure", order, Cancel)).StatusCode); // again: nothing more to do

        var view = await filer.GetFromJsonAsync<JsonElement>($"/api/requests/{id}", Cancel);
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("erasedAt").ValueKind);
        Assert.Equal(string.Empty, view.GetProperty("summaryOfFacts").GetString());
        Assert.Empty(view.GetProperty("personsConcerned").EnumerateArray());
        Assert.Equal("withdrawn", view.GetProperty("status").GetString());
        var history = await filer.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history", Cancel);
        Assert.Equal(["file", "withdraw"], history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.All(history.GetProperty("items").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("reason").ValueKind));
        Assert.True((await filer.GetFromJsonAsync<JsonElement>($"/api/requests/{id}/history/verification", Cancel)).GetProperty("intact").GetBoolean());
        Assert.Empty(await ListIds(filer, $"?person={marker}"));

        // The key is gone from the database, and so are the person tokens; the sealed reason is still there, unreadable.
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        Assert.Equal(0L, await Scalar<long>(dataSource, "SELECT count(*) FROM request_keys WHERE request_id = @id", id));
        Assert.Equal(0L, await Scalar<long>(dataSource, "SELECT count(*) FROM request_person_index WHERE request_id = @id", id));
        Assert.Equal(1L, await Scalar<long>(dataSource, "SELECT count(*) FROM request_events WHERE request_id = @id AND reason IS NOT NULL", id));

        // The erasure is logged with who ordered it and the order it carries out.
        await using var logged = dataSource.CreateCommand("SELECT authority || '|' || role || '|' || outcome || '|' || purpose FROM audit_log WHERE action = 'request.erased' AND request_id = @id");
        logged.Parameters.AddWithValue("id", id);
        Assert.Equal("KZ-GP|admin|applied|order: Order 2026/77 of the Astana city court", (string?)await logged.ExecuteScalarAsync(Cancel));
    }

    [Fact]
    public async Task A_person_search_that_is_not_a_name_is_refused_naming_the_field()
    {
        var filer = fixture.Api.As(Kz, "filer");
        foreach (var query in new[] { "", "   ", "--- ...", new string('a', 201) })
        {
            var response = await filer.GetAsync("/api/requests?person=" + Uri.EscapeDataString(query), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").TryGetProperty("person", out _));
        }
    }

    private static async Task Act(HttpClient client, Guid id, string action, string version, JsonObject? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(body ?? new JsonObject()) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        var response = await client.SendAsync(request, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
    }

    private static async Task<List<Guid>> ListIds(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/requests" + query, Cancel);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql, Guid id)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return (T)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
