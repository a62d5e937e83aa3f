using System.Globalization;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// The purpose a caller gives for reading or changing personal data: header <c>X-Purpose</c> or query value
/// <c>purpose</c> (one of them), at most <see cref="MaxLength"/> characters, no control or bidirectional-override
/// characters (it is shown to auditors as given). Read once per call by <see cref="PersonalDataGate"/>, which keeps it
/// for the log (<see cref="Of"/>).
/// </summary>
public static class Purpose
{
    public const string Header = "X-Purpose";
    public const string QueryName = "purpose";
    public const int MaxLength = 200;

    private static readonly object Key = new();

    /// <summary>The purpose the gate accepted for this call; null when none was given.</summary>
    public static string? Of(HttpContext http) => http.Items.TryGetValue(Key, out var purpose) ? purpose as string : null;

    /// <summary>
    /// Reads and checks the purpose; on success keeps it for <see cref="Of"/> and returns null, otherwise returns the
    /// field at fault and why.
    /// </summary>
    public static (string Field, string Message)? Accept(HttpContext http)
    {
        var headers = http.Request.Headers[Header];
        var queries = http.Request.Query[QueryName];
        if (headers.Count > 0 && queries.Count > 0)
        {
            return (Header, $"Give the purpose once: the {Header} header or the '{QueryName}' query value, not both.");
        }

        var (field, values) = headers.Count > 0 ? (Header, headers) : (QueryName, queries);
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            return (field, "Give one purpose.");
        }

        var value = values[0] ?? string.Empty;
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength)
        {
            return (field, $"From 1 to {MaxLength} characters, not blank.");
        }

        if (value.Any(IsRefused))
        {
            return (field, "Control and bidirectional-override characters are not allowed.");
        }

        http.Items[Key] = value;
        return null;
    }

    private static bool IsRefused(char c) =>
        char.IsControl(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
