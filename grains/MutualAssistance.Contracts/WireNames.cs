using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MutualAssistance.Contracts;

/// <summary>
/// The one owner of how enum values are named outside .NET: kebab-case (<c>request-information</c>,
/// <c>awaiting-information</c>, <c>provisional-measures</c>), exactly as System.Text.Json's
/// <see cref="JsonStringEnumConverter"/> with <see cref="JsonNamingPolicy.KebabCaseLower"/> writes them. The API's
/// JSON, the reference data files, the read model's columns, the history's text and the page all use these names.
/// </summary>
public static class WireNames
{
    public static readonly JsonNamingPolicy Policy = JsonNamingPolicy.KebabCaseLower;

    /// <summary>The converter every JSON serializer of ours registers for enums (names only, no integers).</summary>
    public static JsonStringEnumConverter Converter() => new(Policy, allowIntegerValues: false);

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : Policy.ConvertName(value.ToString());

    /// <summary>Every wire name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Names<T>.Ordered;

    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        if (name is not null && Names<T>.ByName.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private static class Names<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => Policy.ConvertName(v.ToString()));
        public static readonly FrozenDictionary<string, T> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        public static readonly IReadOnlyList<string> Ordered = [.. Enum.GetValues<T>().Select(v => ByValue[v])];
    }
}
