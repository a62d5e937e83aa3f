using System.Net.Sockets;

namespace MutualAssistance.Notifications;

/// <summary>
/// How the webhook client reaches a receiver: its handler resolves the receiver's host at each connection and connects
/// only to the addresses <see cref="WebhookHosts"/> permits, so that a name that was public when it was subscribed
/// and now points inside (DNS rebinding) is refused here too; it follows no redirect and uses no proxy, which would
/// each connect somewhere these checks did not see.
/// </summary>
public sealed class WebhookConnector(WebhookHosts hosts)
{
    public SocketsHttpHandler Handler() => new() { ConnectCallback = ConnectAsync, AllowAutoRedirect = false, UseProxy = false };

    /// <summary>A connection to a permitted address of the request's host, or an <see cref="HttpRequestException"/> saying why none.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = await hosts.AddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"Not connected to '{host}': it is or resolves to an address that is not public, and {WebhookHosts.AllowedHostsSetting} does not name it.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose(); // not connected: the socket is ours to close; the error goes on to the handler
            throw;
        }
    }
}
