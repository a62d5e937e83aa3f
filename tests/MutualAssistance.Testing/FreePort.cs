using System.Net;
using System.Net.Sockets;

namespace MutualAssistance.Testing;

public static class FreePort
{
    /// <summary>A TCP port on the loopback interface that nobody listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
