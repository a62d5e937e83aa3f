namespace MutualAssistance.Sealing;

/// <summary>A request's data key as stored: encrypted under the master key of <see cref="MasterVersion"/>.</summary>
public sealed record WrappedDataKey(int MasterVersion, byte[] Bytes);
