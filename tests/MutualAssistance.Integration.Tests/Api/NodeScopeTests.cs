using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A node serves only callers of the authorities it serves (<see cref="FederationFixture"/>: node KZ serves Kazakh
/// authorities, node CN Chinese ones): every operation of the API, as its OpenAPI document lists them, refuses a
/// Chinese authority's caller on node KZ with 403 naming the node, and nothing is written for them there.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class NodeScopeTests(FederationFixture federation)
{
    private const string Cn = "CN-MOJ";
    private const string Closed = "2031-03-12";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_api_operation_refuses_a_caller_of_another_nodes_authority_with_403_naming_the_node_and_writes_nothing()
    {
        var kz = federation.Kz;
        var document = JsonDocument.Parse(await kz.Anonymous().GetStringAsync("/openapi/v1.json", Cancel)).RootElement;
        var operations = (
            from path in document.GetProperty("paths").EnumerateObject()
            where path.Name.StartsWith("/api/", StringComparison.Ordinal)
            from method in path.Value.EnumerateObject()
            where method.Name is "get" or "post" or "put" or "delete" or "patch"
            select (Path: path.Name, Method: method.Name, Responses: method.Value.GetProperty("responses"))).ToList();
        Assert.True(operations.Count >= 17, $"only {operations.Count} operations under /api");
        Assert.All(operations, o => Assert.True(o.Responses.TryGetProperty("403", out _), $"{o.Method} {o.Path} does not document 403"));

        // Each role that some operation needs (the closures' and webhooks' admin, the log's auditor, the requests' handler).
        foreach (var role in new[] { "admin", "auditor", "handler", "supervisor" })
        {
            var caller = kz.As(Cn, role);
            foreach (var (path, method, _) in operations)
            {
                var response = await caller.SendAsync(Request(method, path), Cancel);
                var body = await response.Content.ReadAsStringAsync(Cancel);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {method.ToUpperInvariant()} {path}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(body).RootElement;
                Assert.Equal(MutualAssistance.Api.Security.NodeRefusal.Type, problem.GetProperty("type").GetString());
                Assert.Equal(("KZ", "CN"), (problem.GetProperty("node").GetString(), problem.GetProperty("servingNode").GetString()));
                Assert.Contains("(KZ)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        // Nothing was written on node KZ for CN-MOJ: no closure in the calendars KZ's callers see, no webhook.
        var calendar = await kz.As("KZ-GP", "viewer").GetFromJsonAsync<JsonElement>($"/api/authorities/{Cn}/calendar?year=2031", Cancel);
        Assert.DoesNotContain(calendar.GetProperty("closures").EnumerateArray(), c => c.GetProperty("date").GetString() == Closed);
        await using var connection = new NpgsqlConnection(kz.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var webhooks = new NpgsqlCommand("SELECT count(*) FROM webhook_subscriptions WHERE authority = 'CN-MOJ'", connection);
        Assert.Equal(0L, (long)(await webhooks.ExecuteScalarAsync(Cancel))!);
        await using var closures = new NpgsqlCommand("SELECT count(*) FROM calendar_closure_changes WHERE state = 'CN'", connection);
        Assert.Equal(0L, (long)(await closures.ExecuteScalarAsync(Cancel))!);

        // The node's own callers, and CN's on node CN, are served.
        Assert.Equal(HttpStatusCode.OK, (await kz.As("KZ-GP", "viewer").GetAsync("/api/requests", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await federation.Cn.As(Cn, "viewer").GetAsync("/api/requests", Cancel)).StatusCode);
    }

    /// <summary>A call of the operation that would succeed for a caller the node serves: every path parameter filled, a body where one is taken.</summary>
    private static HttpRequestMessage Request(string method, string template)
    {
        var path = template
            .Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{code}", Cn, StringComparison.Ordinal)
            .Replace("{date}", Closed, StringComparison.Ordinal)
            .Replace("{action}", "acknowledge", StringComparison.Ordinal);
        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        if (method is "post" or "put")
        {
            var body = path.StartsWith("/api/webhooks", StringComparison.Ordinal)
                ? """{"url":"http://127.0.0.1:9/hook","events":[]}"""
                : """{"reason":"Closed by a caller of another node"}""";
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }
}
