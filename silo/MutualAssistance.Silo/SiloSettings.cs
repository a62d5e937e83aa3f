using System.ComponentModel.DataAnnotations;
using System.Net;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Silo;

/// <summary>
/// The silo's required settings (section <c>Orleans</c>); a missing one stops start-up with its name. Bound and checked
/// as every other section (<see cref="RequiredOptions.GetRequiredOptions{TOptions}"/>), but read at registration and
/// not kept as <c>IOptions</c>: they configure Orleans' own options (ClusterOptions, the endpoints), which the host is
/// built with.
/// </summary>
public sealed class SiloSettings
{
    public const string Section = "Orleans";

    [Required] public string ClusterId { get; set; } = string.Empty;

    [Required] public string ServiceId { get; set; } = string.Empty;

    [Required] public string AdvertisedIPAddress { get; set; } = string.Empty;

    [Required] public int SiloPort { get; set; }

    [Required] public int GatewayPort { get; set; }

    public IPAddress AdvertisedAddress => IPAddress.Parse(AdvertisedIPAddress);

    public static SiloSettings Read(IConfiguration configuration) => configuration.GetRequiredOptions<SiloSettings>(Section, Problems);

    /// <summary>An address that is one, and ports that are TCP ports.</summary>
    public static IEnumerable<string> Problems(SiloSettings settings)
    {
        if (!IPAddress.TryParse(settings.AdvertisedIPAddress, out _))
        {
            yield return $"Setting '{Section}:AdvertisedIPAddress' must be an IP address, not '{settings.AdvertisedIPAddress}'.";
        }

        foreach (var (name, port) in new[] { (nameof(SiloPort), settings.SiloPort), (nameof(GatewayPort), settings.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                yield return $"Setting '{Section}:{name}' must be a TCP port (1-65535), not '{port}'.";
            }
        }
    }
}
