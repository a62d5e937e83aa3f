using Microsoft.Extensions.Configuration;

namespace MutualAssistance.ServiceDefaults;

/// <summary>Reads settings that have no default: a missing one stops start-up and names itself.</summary>
public static class RequiredConfiguration
{
    public static string GetRequired(this IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MissingSettingException(key);
        }

        return value;
    }

    public static int GetRequiredPort(this IConfiguration configuration, string key)
    {
        var text = configuration.GetRequired(key);
        if (!int.TryParse(text, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Setting '{key}' must be a TCP port (1-65535), not '{text}'.");
        }

        return port;
    }
}
