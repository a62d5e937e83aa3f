using MutualAssistance.Contracts.Requests;
using Orleans.Runtime;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// The durable shell around one <see cref="AssistanceRequest"/>: it applies the rules, persists once per change
/// and answers reads from memory.
/// </summary>
public sealed class AssistanceRequestGrain(
    [PersistentState(stateName: "request", storageName: StorageNames.Requests)]
    IPersistentState<AssistanceRequestState> state,
    TimeProvider time) : Grain, IAssistanceRequestGrain
{
    public async Task<FilingResult> File(FileRequest request, Actor actor)
    {
        if (state.State.Request is { } existing)
        {
            var outcome = existing.IsSameFiling(request) ? FilingOutcome.AlreadyFiled : FilingOutcome.IdTakenByAnotherRequest;
            return new FilingResult { Outcome = outcome, Request = existing.ToView() };
        }

        var filed = AssistanceRequest.File(this.GetPrimaryKey(), request, actor, time.GetUtcNow());
        state.State.Request = filed;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing acknowledged, nothing kept: the next call starts from what storage holds.
            state.State.Request = null;
            throw;
        }

        return new FilingResult { Outcome = FilingOutcome.Created, Request = filed.ToView() };
    }

    public Task<AssistanceRequestView?> Get() => Task.FromResult(state.State.Request?.ToView());
}
