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

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports (for scripts that give process i the port base+i),
    /// taken below the kernel's ephemeral range so that no port handed out by <see cref="Next"/> falls inside it.
    /// A block never overlaps one handed out before in this test run: a free port is only free until its owner
    /// starts, so two blocks drawn side by side (a run.sh's silo and HTTP ports, or two fixtures starting at once)
    /// could otherwise share a port and one process fail with "address already in use".
    /// </summary>
    public static int Block(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(20_000, 32_000 - count);
            var block = Enumerable.Range(start, count).ToArray();
            lock (HandedOut)
            {
                if (block.Any(HandedOut.Contains) || !block.All(IsFree))
                {
                    continue;
                }

                HandedOut.UnionWith(block);
                return start;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
