using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

/// <summary>What the rules made of an action: the outcome, and the changed request only when applied.</summary>
public sealed record ActionDecision(ActionOutcome Outcome, AssistanceRequest Request, ImmutableDictionary<string, FieldMessage> Errors, string? Detail)
{
    public static ActionDecision Refused(ActionOutcome outcome, AssistanceRequest request, string detail) =>
        new(outcome, request, ImmutableDictionary<string, FieldMessage>.Empty, detail);
}
