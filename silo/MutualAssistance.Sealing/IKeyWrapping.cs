namespace MutualAssistance.Sealing;

/// <summary>
/// The node's master keys, which wrap the requests' data keys and never leave it. <see cref="MasterKeyRing"/> keeps
/// them in memory from configuration; a KMS or an HSM would implement this instead (wrapping and unwrapping there).
/// </summary>
public interface IKeyWrapping
{
    /// <summary>The version new data keys are wrapped under, and rotation rewraps to.</summary>
    int ActiveVersion { get; }

    /// <summary>Whether a data key wrapped under <paramref name="version"/> can be opened here (a retired version cannot).</summary>
    bool Holds(int version);

    WrappedDataKey Wrap(Guid requestId, ReadOnlySpan<byte> dataKey);

    /// <summary>The data key; throws <see cref="SealedDataException"/> when it does not open (another request's, altered, a retired version).</summary>
    byte[] Unwrap(Guid requestId, WrappedDataKey wrapped);
}
