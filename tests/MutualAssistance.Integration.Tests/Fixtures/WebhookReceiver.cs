using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A webhook receiver on a free port of the tests' trusted loopback address (<see cref="NodeTestSettings.WebhookReceiverHost"/>): it records every post to <c>/hooks/{name}</c> (headers, body,
/// the status it answered) and answers 500 to the first <see cref="FailFirst"/> posts of a name, 200 after.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, int> failuresLeft = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public sealed record Post(string Name, IHeaderDictionary Headers, string Body, int Answered);

    public int Port { get; }

    public ConcurrentQueue<Post> Posts { get; } = new();

    public Uri Url(string name) => new($"http://{NodeTestSettings.WebhookReceiverHost}:{Port}/hooks/{name}");

    /// <summary>Answers 500 to the next <paramref name="count"/> posts to <paramref name="name"/>.</summary>
    public void FailFirst(string name, int count)
    {
        lock (failuresLeft)
        {
            failuresLeft[name] = count;
        }
    }

    public IEnumerable<Post> To(string name) => Posts.Where(p => p.Name == name);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{NodeTestSettings.WebhookReceiverHost}:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.MapPost("/hooks/{name}", async (string name, HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = receiver.TakeFailure(name) ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            receiver.Posts.Enqueue(new Post(name, new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    private bool TakeFailure(string name)
    {
        lock (failuresLeft)
        {
            if (failuresLeft.TryGetValue(name, out var left) && left > 0)
            {
                failuresLeft[name] = left - 1;
                return true;
            }

            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
