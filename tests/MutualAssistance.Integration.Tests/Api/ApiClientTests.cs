using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using MutualAssistance.ApiClient;
using MutualAssistance.ApiClient.Models;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A client generated from the OpenAPI document (Kiota, tests/MutualAssistance.ApiClient): it is what the live document
/// generates, and the README's curl session runs through it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiClientTests(ApiFixture fixture)
{
    /// <summary>How the committed client is made (README, "OpenAPI"): the same command the test runs.</summary>
    public static readonly string[] Generate =
    [
        "kiota", "generate", "--language", "CSharp", "--class-name", "MutualAssistanceClient", "--namespace-name", "MutualAssistance.ApiClient",
        "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning",
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Committed => Path.Combine(Repository.Root, "tests", "MutualAssistance.ApiClient", "Generated");

    [Fact]
    public async Task The_committed_client_is_what_the_live_document_generates()
    {
        var document = await fixture.Api.CreateClient().GetStringAsync("/openapi/v1.json", Cancel);
        var work = Directory.CreateTempSubdirectory("ma-kiota-");
        var file = Path.Combine(work.FullName, "openapi.json");
        await File.WriteAllTextAsync(file, document, Cancel);
        var output = Path.Combine(work.FullName, "Generated");
        await ProcessRunner.RunAsync("dotnet", [.. Generate, "--openapi", file, "--output", output], TimeSpan.FromMinutes(3), Repository.Root);

        var generated = Files(output);
        var committed = Files(Committed);
        var differing = generated.Keys.Union(committed.Keys)
            .Where(name => generated.GetValueOrDefault(name) != committed.GetValueOrDefault(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(differing.Count == 0,
            $"The client in {Committed} is not what the document generates ({string.Join(", ", differing.Take(10))}). "
            + $"Regenerated into {output}: copy it over (README, \"OpenAPI\").");
        work.Delete(recursive: true);
    }

    [Fact]
    public async Task The_readmes_curl_session_runs_through_the_generated_client()
    {
        var kz = Client("KZ-GP", "filer");
        var cn = Client("CN-MOJ", "handler");
        var key = "KZ-" + Guid.NewGuid().ToString("N")[..12];

        // The Kazakh prosecutor general's office files, with an Idempotency-Key: a retry names the same request.
        var body = new FileRequestBody
        {
            RequestingAuthority = "KZ-GP", RequestedAuthority = "CN-MOJ", LegalBasis = "cn-kz-1993",
            AssistanceTypes = [AssistanceType.BankingInformation], Subject = "Proceeds of fraud",
            SummaryOfFacts = "Transfers through three accounts, March to May 2026.",
        };
        var filed = await kz.Api.Requests.PostAsync(body, c => c.Headers.Add("Idempotency-Key", key), Cancel);
        Assert.Equal(RequestStatus.Submitted, filed!.Status);
        Assert.Equal(1, filed.Version);
        Assert.Contains(filed.Clocks!, c => c.Kind == ClockKind.Acknowledgement && c.DueAt is not null);
        Assert.Equal(filed.Id, (await kz.Api.Requests.PostAsync(body, c => c.Headers.Add("Idempotency-Key", key), Cancel))!.Id);
        var id = filed.Id!.Value;

        // The Chinese ministry of justice acknowledges version 1 with its reference.
        var acknowledged = await cn.Api.Requests[id].Actions["acknowledge"].PostAsync(
            new ActionBody { RequestedReference = "CN-2026-001" }, c => c.Headers.Add("If-Match", "\"1\""), Cancel);
        Assert.Equal(RequestStatus.Acknowledged, acknowledged!.Status);
        Assert.Equal("CN-2026-001", acknowledged.RequestedReference);

        // Again: not allowed in this status, a problem with the actions that are.
        var refused = await Assert.ThrowsAsync<ProblemDetails>(() =>
            cn.Api.Requests[id].Actions["acknowledge"].PostAsync(new ActionBody(), c => c.Headers.Add("If-Match", "\"2\""), Cancel));
        Assert.Equal(409, refused.Status);
        Assert.Equal(409, refused.ResponseStatusCode);
        // An old version: 412.
        Assert.Equal(412, (await Assert.ThrowsAsync<ProblemDetails>(() =>
            cn.Api.Requests[id].Actions["accept"].PostAsync(new ActionBody(), c => c.Headers.Add("If-Match", "\"1\""), Cancel))).Status);

        // The filer sees it acknowledged, the history of both steps, and the request in its list.
        Assert.Equal(RequestStatus.Acknowledged, (await kz.Api.Requests[id].GetAsync(cancellationToken: Cancel))!.Status);
        var history = await kz.Api.Requests[id].History.GetAsync(cancellationToken: Cancel);
        Assert.Equal(["file", "acknowledge"], history!.Items!.Select(e => e.Event));
        Assert.True((await kz.Api.Requests[id].History.Verification.GetAsync(cancellationToken: Cancel))!.Intact);
        var page = await kz.Api.Requests.GetAsync(c => { c.QueryParameters.Partner = "CN-MOJ"; c.QueryParameters.Limit = 20; }, Cancel);
        Assert.Contains(page!.Items!, r => r.Id == id);
    }

    private MutualAssistanceClient Client(string authority, string role)
    {
        var http = fixture.Api.As(authority, role);
        return new MutualAssistanceClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        });
    }

    private static Dictionary<string, string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"), StringComparer.Ordinal)
            : [];
}
