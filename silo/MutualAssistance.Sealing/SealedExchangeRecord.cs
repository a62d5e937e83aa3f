using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MutualAssistance.Sealing;

/// <summary>
/// How the exchange keeps what it holds of a shared request between sends (<c>exchange_commands.command</c>, an action
/// taken here with its reason; <c>exchange_held.change</c>, a peer's change waiting for a gap): <c>MAX1</c>, the
/// master-key version (4 bytes) and length (2) of a data key of the record's own wrapped under it, then the JSON
/// sealed under that key (AES-256-GCM, associated data naming the request and the field, <c>command:3</c>,
/// <c>held:7</c>). A record of its own key, because a held change may arrive before the request exists here. Anything
/// else is a record written before sealing, read as the JSON it is. An erasure (<c>request_erase</c>, 0017) deletes
/// the held changes and empties every command's record, deciding a command still undecided (not allowed: the request
/// has ended). The record's key is in no <c>request_keys</c> row: <see cref="MasterKeyRotation"/> rewraps it in the
/// record (<see cref="SealedExchangeRecord.Rewrap"/>) and counts records per version, since a record still read (a
/// held change, an undecided command) does not open once the master-key version it was sealed under is retired.
/// </summary>
public static class SealedExchangeRecord
{
    private static ReadOnlySpan<byte> Mark => "MAX1"u8;

    public static string CommandField(int sequence) => string.Create(CultureInfo.InvariantCulture, $"command:{sequence}");

    public static string HeldField(int afterSequence) => string.Create(CultureInfo.InvariantCulture, $"held:{afterSequence}");

    public static byte[] Seal(IKeyWrapping wrapping, Guid requestId, string field, string json)
    {
        var keyBytes = DataKey.NewKeyBytes();
        return Join(wrapping.Wrap(requestId, keyBytes), new DataKey(requestId, keyBytes).Seal(Encoding.UTF8.GetBytes(json), field));
    }

    /// <summary>The record with its key rewrapped under the active master key, its sealed JSON untouched (a rotation).</summary>
    public static byte[] Rewrap(IKeyWrapping wrapping, Guid requestId, byte[] stored)
    {
        var (version, wrapped, sealedJson) = Split(requestId, "record", stored);
        var rewrapped = wrapping.Wrap(requestId, wrapping.Unwrap(requestId, new WrappedDataKey(version, wrapped)));
        return Join(rewrapped, sealedJson);
    }

    public static string Open(IKeyWrapping wrapping, Guid requestId, string field, byte[] stored)
    {
        if (!IsSealed(stored))
        {
            return Encoding.UTF8.GetString(stored);
        }

        var (version, wrapped, sealedJson) = Split(requestId, field, stored);
        var keyBytes = wrapping.Unwrap(requestId, new WrappedDataKey(version, wrapped));
        return Encoding.UTF8.GetString(new DataKey(requestId, keyBytes).Open(sealedJson, field));
    }

    public static bool IsSealed(ReadOnlySpan<byte> stored) => stored.StartsWith(Mark);

    private static byte[] Join(WrappedDataKey wrapped, byte[] sealedJson)
    {
        var output = new byte[Mark.Length + 6 + wrapped.Bytes.Length + sealedJson.Length];
        Mark.CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(Mark.Length), wrapped.MasterVersion);
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(Mark.Length + 4), checked((ushort)wrapped.Bytes.Length));
        wrapped.Bytes.CopyTo(output, Mark.Length + 6);
        sealedJson.CopyTo(output, Mark.Length + 6 + wrapped.Bytes.Length);
        return output;
    }

    private static (int Version, byte[] Wrapped, byte[] SealedJson) Split(Guid requestId, string field, byte[] stored)
    {
        if (!IsSealed(stored) || stored.Length < Mark.Length + 6)
        {
            throw new SealedDataException($"Request {requestId}: the sealed {field} is truncated.");
        }

        var version = BinaryPrimitives.ReadInt32BigEndian(stored.AsSpan(Mark.Length));
        var length = BinaryPrimitives.ReadUInt16BigEndian(stored.AsSpan(Mark.Length + 4));
        if (stored.Length < Mark.Length + 6 + length)
        {
            throw new SealedDataException($"Request {requestId}: the sealed {field} is truncated.");
        }

        return (version, stored.AsSpan(Mark.Length + 6, length).ToArray(), stored[(Mark.Length + 6 + length)..]);
    }
}
