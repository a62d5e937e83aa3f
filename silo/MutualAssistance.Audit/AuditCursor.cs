using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MutualAssistance.Audit;

/// <summary>An opaque position in the consultation log: the sequence of the last entry of the previous page.</summary>
public sealed record AuditCursor(long Sequence)
{
    private const string Prefix = "audit:";

    public override string ToString() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + Sequence.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Null or empty is "from the start"; anything this class did not write is refused.</summary>
    public static bool TryParse(string? text, out AuditCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Length > 64)
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            if (decoded.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(decoded.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0)
            {
                cursor = new AuditCursor(sequence);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
