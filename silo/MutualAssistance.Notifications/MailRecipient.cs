using System.Collections.Immutable;

namespace MutualAssistance.Notifications;

/// <summary>An address of an authority that is mailed at the escalation levels it lists (0: the breach), in its language.</summary>
public sealed record MailRecipient(string Authority, string Address, string Language, ImmutableHashSet<int> Levels);
