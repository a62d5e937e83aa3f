using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MutualAssistance.ReadSide.Queries;

/// <summary>A position on a deadline board ordered by (due time, nulls last; request; clock).</summary>
public sealed record DeadlineCursor(DateTimeOffset? DueAt, Guid RequestId, int ClockId)
{
    public override string ToString() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"{DueAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-"}:{RequestId:N}:{ClockId.ToString(CultureInfo.InvariantCulture)}"));

    public static bool TryParse(string? text, out DeadlineCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length != 3 || !Guid.TryParseExact(parts[1], "N", out var id) || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var clock))
            {
                return false;
            }

            if (parts[0] == "-")
            {
                cursor = new DeadlineCursor(null, id, clock);
                return true;
            }

            if (long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                cursor = new DeadlineCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id, clock);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
