using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// One lifecycle action: the side that takes it (null: the side responsible for the clock it names), the
/// statuses it may be taken from, and where it leads (null: back to the prior status, or unchanged).
/// </summary>
public sealed record ActionRule(RequestAction Action, Side? Side, ImmutableHashSet<RequestStatus> From, RequestStatus? To, string Meaning);
