using System.Collections.Frozen;
using System.Text.Json;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>The kebab-case names the API uses for enum values (<c>request-information</c>, <c>awaiting-information</c>).</summary>
public static class Names
{
    private static readonly FrozenDictionary<string, RequestAction> Actions =
        Enum.GetValues<RequestAction>().ToFrozenDictionary(Of, StringComparer.Ordinal);

    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParseAction(string name, out RequestAction action) => Actions.TryGetValue(name, out action);

    public static IEnumerable<string> AllActions => Actions.Keys.Order(StringComparer.Ordinal);

    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Of(candidate) == name)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
