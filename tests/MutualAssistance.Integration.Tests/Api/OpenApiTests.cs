using System.Net;
using System.Text.Json;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The OpenAPI document a client generator can use: the bearer scheme and which operations need it, the conditional
/// and idempotency headers as parameters, a summary per operation, a schema for every 2xx (CSV and event stream
/// included), problem details for every error; and Redocly's recommended rules report no error on it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(string Text, JsonElement Document)> Document()
    {
        var response = await fixture.Api.CreateClient().GetAsync("/openapi/v1.json", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (text, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where method.Name is "get" or "post" or "put" or "delete" or "patch"
        select (path.Name, method.Name, method.Value);

    [Fact]
    public async Task Every_operation_has_a_summary_and_needs_the_bearer_scheme()
    {
        var (_, document) = await Document();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 17, $"only {operations.Count} operations");
        foreach (var (path, method, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{method} {path}: no summary");
            Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path}: no operationId");
            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            Assert.True(requirement.TryGetProperty("bearer", out _), $"{method} {path}: not under the bearer scheme");
        }
    }

    [Fact]
    public async Task Every_success_has_a_schema_and_every_error_is_a_problem()
    {
        var (_, document) = await Document();
        foreach (var (path, method, operation) in Operations(document))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                var code = int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture);
                if (code is 204 or 304)
                {
                    continue;
                }

                Assert.True(response.Value.TryGetProperty("content", out var content), $"{method} {path} {code}: no content");
                foreach (var media in content.EnumerateObject())
                {
                    Assert.True(media.Value.TryGetProperty("schema", out _), $"{method} {path} {code} {media.Name}: no schema");
                }

                if (code >= 400)
                {
                    Assert.True(content.TryGetProperty("application/problem+json", out _), $"{method} {path} {code}: not a problem");
                }
            }
        }

        var breaches = Operations(document).Single(o => o.Path == "/api/reports/breaches").Operation;
        Assert.True(breaches.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/csv", out _));
        var stream = Operations(document).Single(o => o.Path == "/api/deadlines/stream").Operation;
        Assert.True(stream.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
    }

    [Theory]
    [InlineData("/api/requests/{id}/actions/{action}", "post", "If-Match")]
    [InlineData("/api/requests/{id}", "get", "If-None-Match")]
    [InlineData("/api/deadlines", "get", "If-None-Match")]
    [InlineData("/api/requests", "post", "Idempotency-Key")]
    public async Task The_conditional_and_idempotency_headers_are_parameters(string path, string method, string header)
    {
        var (_, document) = await Document();
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var parameter = Assert.Single(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == header);
        Assert.Equal("header", parameter.GetProperty("in").GetString());
        Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString()));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Redoclys_recommended_rules_report_no_error()
    {
        var (text, _) = await Document();
        var lint = Path.Combine(Repository.Root, "tests", "openapi-lint");
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text, Cancel);
        try
        {
            // Exits non-zero on any error; warnings are printed and allowed.
            var output = await ProcessRunner.RunAsync(Path.Combine(lint, "node_modules", ".bin", "redocly"),
                ["lint", file, "--config", Path.Combine(lint, "redocly.yaml"), "--format", "stylish"], TimeSpan.FromMinutes(2), lint);
            TestContext.Current.TestOutputHelper?.WriteLine(output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
