using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Persistence;

/// <summary>
/// The grain state the previous release wrote to <c>orleans_storage</c>: the request with its whole history in
/// field 12 (now <see cref="AssistanceRequest.NewEvents"/>), and a pending read-model update (field 1, skipped).
/// Read only by <see cref="LegacyRequestStates"/>, which carries such state over to the request store.
/// </summary>
[GenerateSerializer]
[Alias("ma.AssistanceRequestState")]
public sealed class LegacyRequestState
{
    [Id(0)] public AssistanceRequest? Request { get; set; }
}
