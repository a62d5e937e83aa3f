using System.Collections.Immutable;

namespace MutualAssistance.Contracts;

/// <summary>
/// What is wrong with one field of a refused filing, action or closure: the rule broken (<see cref="Key"/>, one of
/// <see cref="FieldMessages"/>) and the values its wording cites, so that the API can word it in the caller's
/// language. <see cref="ToString"/> is the English wording (logs, history, the exchange's refusals).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.FieldMessage")]
public sealed record FieldMessage([property: Id(0)] string Key, [property: Id(1)] ImmutableArray<string> Arguments)
{
    public override string ToString() => FieldMessages.Format(FieldMessages.English(Key), Arguments);
}
