using System.Collections.Frozen;
using System.Net;

namespace MutualAssistance.Notifications;

/// <summary>
/// The hosts a webhook may reach, the one rule for the API that subscribes it and the silo that connects to it: a host
/// whose every address is public (<see cref="PublicAddress"/>), or one the deployment trusts although it is not, named
/// in <c>Notifications:Webhooks:AllowedHosts</c> (required; a list of host names or IP addresses, empty to trust none,
/// as shipped; bound and checked at start, <see cref="WebhookTargetOptions"/>). So an admin cannot point a webhook at
/// the node's own network (loopback, private, link-local, the cloud's metadata address), by address or by a name that
/// resolves there.
/// </summary>
public sealed class WebhookHosts
{
    public const string AllowedHostsSetting = "Notifications:Webhooks:AllowedHosts";

    private readonly FrozenSet<string> names;
    private readonly FrozenSet<IPAddress> addresses;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve;

    /// <param name="allowed">Host names or IP addresses trusted although not public.</param>
    /// <param name="resolve">A host name's addresses (DNS unless a test gives its own).</param>
    public WebhookHosts(IEnumerable<string> allowed, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        var hosts = allowed.Select(Bare).ToList();
        addresses = hosts.Select(h => IPAddress.TryParse(h, out var address) ? address : null).OfType<IPAddress>().ToFrozenSet();
        names = hosts.Where(h => !IPAddress.TryParse(h, out _)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        this.resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>Whether <paramref name="text"/> is a host name or an IP address (an allow-list entry must be one).</summary>
    public static bool IsHost(string? text) => Uri.CheckHostName(Bare(text ?? string.Empty)) != UriHostNameType.Unknown;

    /// <summary>Whether the deployment trusts <paramref name="host"/> (a URL's host: a name, or an address in any form Uri gives).</summary>
    public bool IsAllowListed(string host) =>
        IPAddress.TryParse(Bare(host), out var address) ? addresses.Contains(address) : names.Contains(Bare(host));

    /// <summary>
    /// The addresses a webhook to <paramref name="host"/> may connect to: every address it resolves to (an address is
    /// itself) when it is allow-listed or when each of them is public; none when one is not. A name that does not
    /// resolve throws as <see cref="Dns"/> does.
    /// </summary>
    public async Task<IPAddress[]> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        var resolved = IPAddress.TryParse(Bare(host), out var address) ? [address] : await resolve(host, cancellationToken);
        return IsAllowListed(host) || resolved.All(PublicAddress.Is) ? resolved : [];
    }

    /// <summary>A host as compared: no IPv6 brackets, no root dot.</summary>
    private static string Bare(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');
}
