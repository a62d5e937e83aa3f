namespace MutualAssistance.Sealing;

/// <summary>A sealed value that does not open: altered, moved to another request or field, or under a key this node no longer holds.</summary>
public sealed class SealedDataException(string message, Exception? inner = null) : Exception(message, inner);
