using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

/// <summary>What the filing rules made of a filing: the new request when created, else why not.</summary>
public sealed record FilingDecision(FilingOutcome Outcome, AssistanceRequest? Request, ImmutableDictionary<string, FieldMessage> Errors, string? Detail);
