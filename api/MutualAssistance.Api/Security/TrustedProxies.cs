using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MutualAssistance.Api.Security;

/// <summary>
/// The reverse proxies (an ingress controller, a load balancer) whose <c>X-Forwarded-For</c> the API believes, from
/// <c>Network:TrustedProxies:i</c>: addresses or networks in CIDR notation. Behind one, every call comes from the
/// proxy's address, so that the anonymous rate limit and the counts of refused calls (<see cref="ClientAddress"/>)
/// would lump every caller together; named here, the caller's address is the one the proxy forwarded. None named
/// (the default: a node reached directly): nothing forwarded is believed, so no caller can choose its own address.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "Network:TrustedProxies";

    public static ForwardedHeadersOptions? Read(IConfiguration configuration)
    {
        var entries = configuration.GetSection(Section).GetChildren().Select(c => (c.Path, c.Value)).ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var (path, value) in entries)
        {
            if (System.Net.IPNetwork.TryParse(value, out var network) && value!.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(value, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"Setting '{path}' must be an IP address or a network in CIDR notation (10.0.0.0/8), not '{value}'.");
            }
        }

        return options;
    }
}
