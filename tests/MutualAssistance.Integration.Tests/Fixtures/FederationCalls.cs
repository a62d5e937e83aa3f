using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>Calls on the nodes of <see cref="FederationFixture"/> that the federation's tests share.</summary>
public static class FederationCalls
{
    public const string Kz = "KZ-GP";
    public const string Cn = "CN-MOJ";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static JsonObject Body(string subject, string requesting = Kz, string requested = Cn) => Requests.Json(subject, requesting, requested);

    public static async Task<Guid> File(FederationNode node, JsonObject body, string authority = Kz)
    {
        var response = await node.As(authority, "filer").PostAsJsonAsync("/api/requests", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement?> Get(FederationNode node, string authority, string role, Guid id)
    {
        var response = await node.As(authority, role).GetAsync($"/api/requests/{id}", Cancel);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(Cancel) : null;
    }

    public static Task<JsonElement> Until(FederationNode node, string authority, string role, Guid id, Func<JsonElement, bool> condition, string what) =>
        Poll.Until(async () => await Get(node, authority, role, id) is { } view && condition(view) ? view : (JsonElement?)null, Patience, what, Cancel);

    public static async Task<HttpResponseMessage> Act(FederationNode node, string authority, string role, Guid id, string action, object body)
    {
        var current = await Get(node, authority, role, id) ?? throw new InvalidOperationException($"Request {id} is not on node {node.Id}.");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{id}/actions/{action}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{current.GetProperty("version").GetInt32()}\"");
        return await node.As(authority, role).SendAsync(request, Cancel);
    }

    public static async Task Acted(FederationNode node, string authority, string role, Guid id, string action, object body)
    {
        var response = await Act(node, authority, role, id, action, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action} on node {node.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
    }

    /// <summary>The whole history as "sequence event hash" lines, every page of it.</summary>
    public static async Task<List<string>> Hashes(FederationNode node, string authority, string role, Guid id)
    {
        var lines = new List<string>();
        string? cursor = null;
        do
        {
            var response = await node.As(authority, role).GetAsync($"/api/requests/{id}/history?limit=500" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), Cancel);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            lines.AddRange(page.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("sequence").GetInt32()} {e.GetProperty("event").GetString()} {e.GetProperty("hash").GetString()}"));
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return lines;
    }

    /// <summary>Both nodes end with the same hash chain, and each verifies it.</summary>
    public static async Task SameHistoryOnBoth(FederationNode KzNode, FederationNode CnNode, Guid id)
    {
        var onCn = await Hashes(CnNode, Cn, "handler", id);
        await Poll.Until(async () => (await Hashes(KzNode, Kz, "filer", id)).SequenceEqual(onCn) ? new object() : null, Patience, $"node KZ's history of {id} equal to node CN's ({onCn.Count} events)", Cancel);
        foreach (var (node, authority, role) in new[] { (KzNode, Kz, "filer"), (CnNode, Cn, "handler") })
        {
            var verification = await (await node.As(authority, role).GetAsync($"/api/requests/{id}/history/verification", Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.True(verification.GetProperty("intact").GetBoolean(), $"node {node.Id}: {verification}");
        }
    }

    public static string Clocks(JsonElement view) =>
        string.Join(";", view.GetProperty("clocks").EnumerateArray().Select(c => $"{c.GetProperty("kind").GetString()}:{c.GetProperty("state").GetString()}:{(c.TryGetProperty("dueAt", out var due) ? due.ToString() : "-")}"));

}
