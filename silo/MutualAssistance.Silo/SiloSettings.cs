using System.Net;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Silo;

/// <summary>The silo's required settings (section <c>Orleans</c>); a missing one stops start-up with its name.</summary>
public sealed record SiloSettings(string ClusterId, string ServiceId, IPAddress AdvertisedAddress, int SiloPort, int GatewayPort)
{
    public static SiloSettings Read(IConfiguration configuration)
    {
        var address = configuration.GetRequired("Orleans:AdvertisedIPAddress");
        if (!IPAddress.TryParse(address, out var advertised))
        {
            throw new InvalidOperationException($"Setting 'Orleans:AdvertisedIPAddress' must be an IP address, not '{address}'.");
        }

        return new SiloSettings(
            configuration.GetRequired("Orleans:ClusterId"),
            configuration.GetRequired("Orleans:ServiceId"),
            advertised,
            configuration.GetRequiredPort("Orleans:SiloPort"),
            configuration.GetRequiredPort("Orleans:GatewayPort"));
    }
}
