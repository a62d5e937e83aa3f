using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MutualAssistance.Federation.Wire;

namespace MutualAssistance.Federation;

/// <summary>
/// Every field that may travel between nodes, as JSON paths of the payload (<c>[]</c>: each item of an array): read
/// off the wire records (<see cref="WireMessage"/>) as the serializer sees them, so the list is what the records allow
/// and cannot drift from them. The envelope field scan test reads every message sent in the test run against it, and
/// the wire record tests hold it to the fields PROTOCOL.md names for <c>ma-exchange/1</c>.
/// </summary>
public static class ExchangeSchema
{
    public static readonly FrozenSet<string> Fields = FieldsOf(ExchangeJson.Options.GetTypeInfo(typeof(WireMessage)), "").ToFrozenSet(StringComparer.Ordinal);

    private static IEnumerable<string> FieldsOf(JsonTypeInfo type, string prefix)
    {
        foreach (var property in type.Properties)
        {
            var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            yield return path;
            foreach (var inner in InnerFieldsOf(ExchangeJson.Options.GetTypeInfo(property.PropertyType), path))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<string> InnerFieldsOf(JsonTypeInfo type, string path) => type.Kind switch
    {
        JsonTypeInfoKind.Object => FieldsOf(type, path),
        JsonTypeInfoKind.Enumerable when ExchangeJson.Options.GetTypeInfo(type.ElementType!) is { Kind: JsonTypeInfoKind.Object } item => FieldsOf(item, path + "[]"),
        JsonTypeInfoKind.Enumerable => [path + "[]"],
        _ => [],
    };

    /// <summary>Every field path present in a message's JSON, in the notation of <see cref="Fields"/>.</summary>
    public static IEnumerable<string> PathsOf(JsonElement element, string prefix = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                    yield return path;
                    foreach (var inner in PathsOf(property.Value, path))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    var path = prefix + "[]";
                    if (item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                    {
                        yield return path;
                    }

                    foreach (var inner in PathsOf(item, path))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
