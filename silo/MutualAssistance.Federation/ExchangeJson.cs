using System.Text.Json;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts;

namespace MutualAssistance.Federation;

/// <summary>How the exchange writes and reads its messages: camelCase, enums by their wire names, no nulls, no computed properties.</summary>
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

    public static byte[] Write(ExchangeMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    /// <summary>The message in <paramref name="payload"/>; <see cref="JsonException"/> when it is not one.</summary>
    public static ExchangeMessage Read(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<ExchangeMessage>(payload, Options) ?? throw new JsonException("The payload is null.");
}
