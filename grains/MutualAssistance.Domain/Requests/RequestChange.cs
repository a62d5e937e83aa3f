using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.ReadModel;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// One change of a request as the store commits it: the version it was made from (null for a filing), the request
/// after it with its new events, the read-model rows of that version, and for a request shared with a peer node
/// what the peer is to be sent (<see cref="OutboxMark"/>), all in the same transaction.
/// </summary>
public sealed record RequestChange(int? ExpectedVersion, AssistanceRequest Next, RequestProjection Projection, OutboxMark? Outbox = null);
