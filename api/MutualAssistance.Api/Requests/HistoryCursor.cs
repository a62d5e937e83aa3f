using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MutualAssistance.Api.Requests;

/// <summary>An opaque position in a request's history: the sequence of the last entry of the previous page.</summary>
public static class HistoryCursor
{
    private const string Prefix = "after:";

    public static string Of(int sequence) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + sequence.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The sequence to continue after: 0 for no cursor; false when the text is not a cursor of ours.</summary>
    public static bool TryParse(string? text, out int after)
    {
        after = 0;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            return decoded.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(decoded.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out after)
                && after > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
