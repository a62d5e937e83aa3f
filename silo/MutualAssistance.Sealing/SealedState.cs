using System.Globalization;

namespace MutualAssistance.Sealing;

/// <summary>
/// How <c>request_state.payload</c> is kept: <c>MAS1</c> and the serialised request sealed under its data key (field
/// <c>state:{version}</c>, so a payload of another version or request does not open in this row); <c>MAP1</c> and the
/// serialised request in the clear, only for a request whose personal data was erased (nothing personal is left in
/// it); anything else is a payload written before sealing, read as it is and sealed at its next change.
/// </summary>
public static class SealedState
{
    private static ReadOnlySpan<byte> SealedMark => "MAS1"u8;
    private static ReadOnlySpan<byte> PlainMark => "MAP1"u8;

    public static byte[] Seal(DataKey key, int version, ReadOnlySpan<byte> serialized) => [.. SealedMark, .. key.Seal(serialized, Field(version))];

    public static byte[] Plain(ReadOnlySpan<byte> serialized) => [.. PlainMark, .. serialized];

    public static bool IsSealed(ReadOnlySpan<byte> stored) => stored.StartsWith(SealedMark);

    /// <summary>The serialised request; <paramref name="key"/> is needed for a sealed payload (null: <see cref="SealedDataException"/>).</summary>
    public static byte[] Open(Guid requestId, DataKey? key, int version, byte[] stored)
    {
        if (IsSealed(stored))
        {
            return key is null
                ? throw new SealedDataException($"Request {requestId}: its state is sealed but no data key is stored for it.")
                : key.Open(stored.AsSpan(SealedMark.Length), Field(version));
        }

        return stored.AsSpan().StartsWith(PlainMark) ? stored[PlainMark.Length..] : stored;
    }

    private static string Field(int version) => string.Create(CultureInfo.InvariantCulture, $"state:{version}");
}
