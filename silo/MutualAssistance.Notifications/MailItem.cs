namespace MutualAssistance.Notifications;

/// <summary>One event an address is to be mailed about, and when it may go (migration 0019).</summary>
public sealed record MailItem(
    string Address, Guid RequestId, int Sequence, string Authority, string Language, string Type, int Level, string Payload,
    DateTimeOffset SendAt, bool Immediate);
