using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>What became of an action. Only <see cref="ActionOutcome.Applied"/> changed anything.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ActionResult")]
public sealed record ActionResult
{
    [Id(0)] public required ActionOutcome Outcome { get; init; }

    /// <summary>The request after the action (or as it stands, when refused); null when not found.</summary>
    [Id(1)] public AssistanceRequestView? Request { get; init; }

    /// <summary>Field name to message, for <see cref="ActionOutcome.Invalid"/>.</summary>
    [Id(2)] public ImmutableDictionary<string, FieldMessage> Errors { get; init; } = ImmutableDictionary<string, FieldMessage>.Empty;

    [Id(3)] public string? Detail { get; init; }
}
