using MutualAssistance.Grains.ReadModel;
using MutualAssistance.ReadSide.Rows;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// One change of a request as the store commits it: the version it was made from (null for a filing), the request
/// after it with its new events, and the read-model rows of that version.
/// </summary>
public sealed record RequestChange(int? ExpectedVersion, AssistanceRequest Next, RequestProjection Projection);
