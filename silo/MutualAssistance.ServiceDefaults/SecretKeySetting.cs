using Microsoft.Extensions.Configuration;

namespace MutualAssistance.ServiceDefaults;

/// <summary>
/// Reads a 256-bit key from configuration: <c>{key}</c> holds it in base64 (an environment variable filled from a
/// k8s Secret, say), or <c>{key}Path</c> names a file holding it in base64 (a mounted Secret, a file kept by the
/// operator). One of the two is required; neither, both, or anything but 32 bytes stops start-up naming the setting.
/// </summary>
public static class SecretKeySetting
{
    public const int KeyBytes = 32;

    public static byte[] GetRequiredKey(this IConfiguration configuration, string key) =>
        ReadKey(key, configuration[key], configuration[key + "Path"]);

    /// <summary>
    /// The key given as settings <paramref name="key"/> (<paramref name="inline"/>) or <c>{key}Path</c>
    /// (<paramref name="path"/>), already bound (an options class's two properties): the same rule and the same errors.
    /// </summary>
    public static byte[] ReadKey(string key, string? inline, string? path)
    {
        if (string.IsNullOrWhiteSpace(inline) == string.IsNullOrWhiteSpace(path))
        {
            throw string.IsNullOrWhiteSpace(inline)
                ? new MissingSettingException(key + "Path")
                : new InvalidOperationException($"Settings '{key}' and '{key}Path' are both set: give the key one way.");
        }

        var (text, source) = string.IsNullOrWhiteSpace(path)
            ? (inline!, key)
            : (File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"Setting '{key}Path': no file at '{path}'."), key + "Path");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Setting '{source}' must hold a {KeyBytes}-byte key in base64 (openssl rand -base64 {KeyBytes}).");
        }

        return bytes.Length == KeyBytes
            ? bytes
            : throw new InvalidOperationException($"Setting '{source}' holds {bytes.Length} bytes; a {KeyBytes}-byte key is required (openssl rand -base64 {KeyBytes}).");
    }
}
