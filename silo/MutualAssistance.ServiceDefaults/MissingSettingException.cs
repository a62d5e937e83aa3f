namespace MutualAssistance.ServiceDefaults;

/// <summary>A required setting is absent; the message names it and how to give it.</summary>
public sealed class MissingSettingException(string key)
    : InvalidOperationException(
        $"Missing required setting '{key}'. Set it in appsettings or as the environment variable '{key.Replace(":", "__", StringComparison.Ordinal)}'.")
{
    public string Key { get; } = key;
}
