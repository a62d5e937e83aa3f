using System.Net;
using System.Net.Sockets;
using System.Text;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// An open port that is no HTTP server, on the tests' trusted loopback address: every connection gets an SSH-like
/// banner and is closed, as a probe of an internal service would find it.
/// </summary>
public sealed class NotHttpListener : IAsyncDisposable
{
    private static readonly byte[] Banner = Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.6\r\n");

    private readonly TcpListener listener = new(IPAddress.Parse(NodeTestSettings.WebhookReceiverHost), 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public NotHttpListener()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public Uri Url(string name) => new($"http://{NodeTestSettings.WebhookReceiverHost}:{Port}/hooks/{name}");

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            await client.GetStream().WriteAsync(Banner, stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
            // stopped as asked
        }

        stop.Dispose();
    }
}
