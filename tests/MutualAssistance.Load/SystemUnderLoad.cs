using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MutualAssistance.Load;

/// <summary>
/// The system's operations as the mix uses them. Each worker owns its own requests (so that its If-Match
/// always names the current version) and its own board ETag. Requests are filed by KZ-GP and handled by CN-MOJ.
/// With two nodes (<c>./run.sh --federation</c>), <paramref name="handling"/> is node CN: filings go to
/// <paramref name="http"/> (node KZ) and every handler's call (act, get, poll, board) to node CN.
/// </summary>
public sealed class SystemUnderLoad(HttpClient http, Tokens tokens, int workers, HttpClient? handling = null)
{
    private readonly HttpClient handling = handling ?? http;

    private const string Requesting = "KZ-GP";
    private const string Requested = "CN-MOJ";
    private const int RequestsPerWorker = 8;

    // One caller per worker, as many screens and clerks would be (rate limits are per caller).
    private readonly AuthenticationHeaderValue[] filers = [.. Enumerable.Range(0, workers).Select(w => new AuthenticationHeaderValue("Bearer", tokens.For(Requesting, "filer", w)))];
    private readonly AuthenticationHeaderValue[] handlers = [.. Enumerable.Range(0, workers).Select(w => new AuthenticationHeaderValue("Bearer", tokens.For(Requested, "handler", w)))];
    private readonly (Guid Id, int Version)[][] owned = new (Guid, int)[workers][];
    private readonly string?[] boardTags = new string?[workers];

    /// <summary>Files and accepts each worker's requests, 32 workers at a time (thousands of callers prepare in minutes, not hours).</summary>
    public async Task Prepare(CancellationToken cancellationToken)
    {
        await Parallel.ForAsync(0, workers, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (worker, cancel) =>
        {
            var mine = new (Guid, int)[RequestsPerWorker];
            for (var i = 0; i < RequestsPerWorker; i++)
            {
                var (id, version) = await File(worker, cancel);
                if (!ReferenceEquals(handling, http))
                {
                    version = await Arrived(id, handlers[worker], cancel);
                }

                using var accepted = await Send(handling, HttpMethod.Post, $"/api/requests/{id}/actions/accept", handlers[worker], $"\"{version}\"", cancel);
                accepted.EnsureSuccessStatusCode();
                mine[i] = (id, int.Parse(accepted.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
            }

            owned[worker] = mine;
        });
    }

    public async Task<int> FileOne(int worker, CancellationToken cancellationToken)
    {
        using var response = await Send(http, HttpMethod.Post, "/api/requests", filers[worker], null, cancellationToken, Body());
        return (int)response.StatusCode;
    }

    /// <summary>A durable action: partially-execute, which a request in execution may take again and again.</summary>
    public Task<int> Act(int worker, CancellationToken cancellationToken) => ActOn(worker, Random.Shared.Next(RequestsPerWorker), cancellationToken);

    /// <summary>The same action on one given request of the worker's (the growth mode acts on one request again and again).</summary>
    public async Task<int> ActOn(int worker, int slot, CancellationToken cancellationToken)
    {
        var (id, version) = owned[worker][slot];
        using var response = await Send(handling, HttpMethod.Post, $"/api/requests/{id}/actions/partially-execute", handlers[worker], $"\"{version}\"", cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // A 412 means a call cut off by the end of the previous part had landed: take the current version.
            var current = response.Headers.ETag ?? (await Send(handling, HttpMethod.Get, $"/api/requests/{id}", handlers[worker], null, cancellationToken)).Headers.ETag;
            owned[worker][slot] = (id, int.Parse(current!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
        }

        return (int)response.StatusCode;
    }

    public async Task<int> Get(int worker, CancellationToken cancellationToken)
    {
        var (id, _) = owned[worker][Random.Shared.Next(RequestsPerWorker)];
        using var response = await Send(handling, HttpMethod.Get, $"/api/requests/{id}", handlers[worker], null, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>A dashboard's poll: the board with the last ETag this worker saw (mostly 304).</summary>
    public async Task<int> Poll(int worker, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deadlines?limit=200") { Headers = { Authorization = handlers[worker] } };
        if (boardTags[worker] is { } tag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", tag);
        }

        using var response = await handling.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            boardTags[worker] = response.Headers.ETag?.ToString();
        }

        return response.StatusCode == HttpStatusCode.NotModified ? 200 : (int)response.StatusCode;
    }

    /// <summary>A full board page: 200 rows, no ETag (what a screen loads first, or after a change).</summary>
    public async Task<int> Board(int worker, CancellationToken cancellationToken)
    {
        using var response = await Send(handling, HttpMethod.Get, "/api/deadlines?limit=200", handlers[worker], null, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return (int)response.StatusCode;
    }

    private async Task<(Guid Id, int Version)> File(int worker, CancellationToken cancellationToken)
    {
        using var response = await Send(http, HttpMethod.Post, "/api/requests", filers[worker], null, cancellationToken, Body());
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid(), Version(response));
    }

    /// <summary>The request's version once it is on the handling node (the exchange brings it there), within 30 s.</summary>
    private async Task<int> Arrived(Guid id, AuthenticationHeaderValue token, CancellationToken cancellationToken)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(20, cancellationToken))
        {
            using var response = await Send(handling, HttpMethod.Get, $"/api/requests/{id}", token, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return Version(response);
            }
        }

        throw new TimeoutException($"Request {id} did not reach {handling.BaseAddress} within 30 s.");
    }

    /// <summary>An operation that picks one of the mix's operations by its share, for each call.</summary>
    public HttpLoad.Operation Mixed((int File, int Act, int Get, int Poll, int Board) mix)
    {
        var operations = new (int Share, HttpLoad.Operation Run)[] { (mix.File, FileOne), (mix.Act, Act), (mix.Get, Get), (mix.Poll, Poll), (mix.Board, Board) };
        var total = operations.Sum(o => o.Share);
        return (worker, cancel) =>
        {
            var pick = Random.Shared.Next(total);
            foreach (var (share, run) in operations)
            {
                if (pick < share)
                {
                    return run(worker, cancel);
                }

                pick -= share;
            }

            return operations[^1].Run(worker, cancel);
        };
    }

    private static int Version(HttpResponseMessage response) => int.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> Send(HttpClient node, HttpMethod method, string path, AuthenticationHeaderValue token, string? ifMatch, CancellationToken cancellationToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = token } };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await node.SendAsync(request, cancellationToken);
    }

    private static object Body() => new
    {
        requestingAuthority = Requesting,
        requestedAuthority = Requested,
        legalBasis = "cn-kz-1993",
        assistanceTypes = new[] { "taking-evidence" },
        subject = "Load test request",
        summaryOfFacts = "Generated by the load tool.",
    };
}
