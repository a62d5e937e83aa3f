using System.Net;
using System.Net.Sockets;

namespace MutualAssistance.Notifications;

/// <summary>
/// Whether an address is public, reachable on the internet at large, and so one a webhook may be posted to without
/// the deployment naming it (<see cref="WebhookHosts"/>). Not public: IPv4's special-purpose blocks (this network,
/// RFC 1918 private, CGNAT 100.64/10, loopback, link-local 169.254/16, IETF and documentation blocks, 6to4 relays,
/// benchmarking, multicast, reserved and broadcast) and every IPv6 address outside global unicast 2000::/3 (unspecified,
/// loopback, ULA fc00::/7, link-local fe80::/10, multicast, NAT64, discard), or inside it but special (IETF protocol
/// assignments with Teredo, documentation, 6to4, which carry an IPv4 address of any kind). An IPv4-mapped IPv6 address
/// is judged as the IPv4 address it maps.
/// </summary>
public static class PublicAddress
{
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] Special =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20",
        }.Select(IPNetwork.Parse),
    ];

    public static bool Is(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return (address.AddressFamily == AddressFamily.InterNetwork || GlobalUnicast.Contains(address))
            && !Special.Any(block => block.Contains(address));
    }
}
