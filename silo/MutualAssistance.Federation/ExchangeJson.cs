using System.Text.Json;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts;
using MutualAssistance.Federation.Wire;

namespace MutualAssistance.Federation;

/// <summary>
/// How the exchange writes and reads its messages: through its own wire records (<see cref="WireMessage"/>, which name
/// every field), enums by their wire names, no nulls. A message is mapped to its wire record and back explicitly, so
/// what travels does not follow the domain's property names.
/// </summary>
public static class ExchangeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IgnoreReadOnlyProperties = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 32,
        Converters = { WireNames.Converter() },
    };

    public static byte[] Write(ExchangeMessage message) => JsonSerializer.SerializeToUtf8Bytes(WireMessage.ToWire(message), Options);

    /// <summary>The message in <paramref name="payload"/>; <see cref="JsonException"/> when it is not one.</summary>
    public static ExchangeMessage Read(ReadOnlySpan<byte> payload) =>
        (JsonSerializer.Deserialize<WireMessage>(payload, Options) ?? throw new JsonException("The payload is null.")).ToDomain();
}
