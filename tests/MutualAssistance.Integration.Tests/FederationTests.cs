using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A request between a Kazakh and a Chinese authority across two nodes (<see cref="FederationFixture"/>): filed on
/// one, seen and acted on on the other, the same history on both, whatever the link does meanwhile.
/// </summary>
[Collection(FederationCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FederationTests(FederationFixture federation)
{
    private const string Kz = "KZ-GP";
    private const string Cn = "CN-MOJ";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private FederationNode KzNode => federation.Kz;

    private FederationNode CnNode => federation.Cn;

    [Fact]
    public async Task A_request_filed_on_one_node_is_seen_and_acted_on_on_the_other_with_one_history_on_both()
    {
        var id = await File(Body("Lifecycle across nodes"));

        // Visible on CN, to CN-MOJ's handler, and in its lists.
        var onCn = await Until(CnNode, Cn, "handler", id, r => true, "the filing on node CN");
        Assert.Equal("submitted", onCn.GetProperty("status").GetString());
        Assert.Equal("KZ", onCn.GetProperty("exchange").GetProperty("peer").GetString());
        Assert.Equal("CN", onCn.GetProperty("exchange").GetProperty("orderedBy").GetString());

        // Acknowledged on CN, seen acknowledged on KZ.
        await Acted(CnNode, Cn, "handler", id, "acknowledge", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "acknowledged", "the acknowledgement on node KZ");

        // CN asks for information; KZ provides it on KZ: sent to CN, decided there at once, applied on both.
        await Acted(CnNode, Cn, "handler", id, "request-information", new { reason = "Account holders' identities" });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "awaiting-information", "awaiting information on node KZ");
        var provided = await Act(KzNode, Kz, "filer", id, "provide-information", new { note = "Identities attached" });
        Assert.Equal(HttpStatusCode.OK, provided.StatusCode);
        Assert.Equal("acknowledged", (await provided.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetString());

        await Acted(CnNode, Cn, "handler", id, "accept", new { });
        await Acted(CnNode, Cn, "handler", id, "execute", new { });
        await Until(KzNode, Kz, "filer", id, r => r.GetProperty("status").GetString() == "executed", "the execution on node KZ");
        var closed = await Act(KzNode, Kz, "filer", id, "close", new { });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        await SameHistoryOnBoth(id);
        var kzView = await Until(KzNode, Kz, "filer", id, r => r.GetProperty("exchange").GetProperty("delivery").GetString() == "delivered", "delivered on KZ");
        var cnView = await Until(CnNode, Cn, "handler", id, r => r.GetProperty("exchange").GetProperty("delivery").GetString() == "delivered", "delivered on CN");
        Assert.True(kzView.GetProperty("exchange").GetProperty("inAgreement").GetBoolean());
        Assert.True(cnView.GetProperty("exchange").GetProperty("inAgreement").GetBoolean());
        Assert.Equal(Clocks(kzView), Clocks(cnView));
    }

    // ---- helpers ----

    internal static JsonObject Body(string subject, string requesting = Kz, string requested = Cn) => new()
    {
        ["requestingAuthority"] = requesting,
        ["requestedAuthority"] = requested,
        ["legalBasis"] = "treaty",
        ["treaty"] = "Shanghai Convention",
        ["assistanceTypes"] = new JsonArray("banking-information"),
        ["subject"] = subject,
        ["summaryOfFacts"] = "Transfers through three accounts.",
        ["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = "A. Person", ["role"] = "suspect" }),
    };

    private async Task<Guid> File(JsonObject body, FederationNode? node = null, string authority = Kz)
    {
        var response = await (node ?? KzNode).As(authority, "filer").PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement?> Get(FederationNode node, string authority, string role, Guid id)
    {
        var response = await node.As(authority, role).GetAsync($"/api/requests/{id}", Cancel);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(Cancel) : null;
    }

    private static Task<JsonElement> Until(FederationNode node, string authority, string role, Guid id, Func<JsonElement, bool> condition, string what) =>
        Poll.Until(async () => await Get(node, authority, role, id) is { } view && condition(view) ? view : (JsonElement?)null, Patience, what, Cancel);

    private static async Task<HttpResponseMessage> Act(FederationNode node, string authority, string role, Guid id, string action, object body)
    {
        var current = await Get(node, authority, role, id) ?? throw new InvalidOperationException($"Request {id} is not on node {node.Id}.");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{current.GetProperty("version").GetInt32()}\"");
        return await node.As(authority, role).SendAsync(request, Cancel);
    }

    private static async Task Acted(FederationNode node, string authority, string role, Guid id, string action, object body)
    {
        var response = await Act(node, authority, role, id, action, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action} on node {node.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
    }

    private static async Task<List<string>> Hashes(FederationNode node, string authority, string role, Guid id)
    {
        var response = await node.As(authority, role).GetAsync($"/api/requests/{id}/history?limit=500", Cancel);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return [.. page.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("sequence").GetInt32()} {e.GetProperty("event").GetString()} {e.GetProperty("hash").GetString()}")];
    }

    /// <summary>Both nodes end with the same hash chain, and each verifies it.</summary>
    private async Task SameHistoryOnBoth(Guid id)
    {
        var onCn = await Hashes(CnNode, Cn, "handler", id);
        await Poll.Until(async () => (await Hashes(KzNode, Kz, "filer", id)).SequenceEqual(onCn) ? new object() : null, Patience, $"node KZ's history of {id} equal to node CN's ({onCn.Count} events)", Cancel);
        foreach (var (node, authority, role) in new[] { (KzNode, Kz, "filer"), (CnNode, Cn, "handler") })
        {
            var verification = await (await node.As(authority, role).GetAsync($"/api/requests/{id}/history/verification", Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.True(verification.GetProperty("intact").GetBoolean(), $"node {node.Id}: {verification}");
        }
    }

    private static string Clocks(JsonElement view) =>
        string.Join(";", view.GetProperty("clocks").EnumerateArray().Select(c => $"{c.GetProperty("kind").GetString()}:{c.GetProperty("state").GetString()}:{(c.TryGetProperty("dueAt", out var due) ? due.ToString() : "-")}"));
}
