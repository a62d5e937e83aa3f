using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using MutualAssistance.ServiceDefaults;

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

    /// <summary>Binds <c>Network</c> (optional; each entry checked at registration and at start, named when wrong).</summary>
    public static IServiceCollection AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<TrustedProxiesOptions>(configuration, TrustedProxiesOptions.Section, TrustedProxiesOptions.Problems);
        return services;
    }

    /// <summary>What the forwarded-headers middleware needs, or null when no proxy is trusted (then it is not used).</summary>
    public static ForwardedHeadersOptions? From(TrustedProxiesOptions settings)
    {
        if (settings.TrustedProxies.Count == 0)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var (value, i) in settings.TrustedProxies.Select((value, i) => (value, i)))
        {
            if (System.Net.IPNetwork.TryParse(value, out var network) && value.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(value, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"Setting '{Section}:{i}' must be an IP address or a network in CIDR notation (10.0.0.0/8), not '{value}'.");
            }
        }

        return options;
    }
}

/// <summary>Section <c>Network</c>: <c>TrustedProxies:i</c>, optional, none by default (<see cref="TrustedProxies"/>).</summary>
public sealed class TrustedProxiesOptions
{
    public const string Section = "Network";

    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Every entry must be an address or a network: the check is the building (it throws, naming the entry).</summary>
    public static IEnumerable<string> Problems(TrustedProxiesOptions options)
    {
        _ = Security.TrustedProxies.From(options);
        return [];
    }
}
