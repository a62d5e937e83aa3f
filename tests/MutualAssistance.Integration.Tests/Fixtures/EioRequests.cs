using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// EIO requests from KZ-GP to CN-MOJ, filed and acknowledged through their grains, for the tests that move deadline
/// time past their decision clock (30 days, moved by holidays; 31 days past it brings level 3).
/// </summary>
public static class EioRequests
{
    public static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    public static FileRequest Filing() => Requests.Sample() with { LegalBasis = LegalBases.Eio, ReceivedAt = null };

    public static async Task<IAssistanceRequestGrain> FiledAndAcknowledged(IGrainFactory grains)
    {
        var grain = grains.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.File(Filing(), Requests.Filer);
        var acknowledged = await grain.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler);
        Assert.Equal(ActionOutcome.Applied, acknowledged.Outcome);
        return grain;
    }

    public static async Task<DateTimeOffset> DecisionDue(IAssistanceRequestGrain grain) =>
        (await grain.Get(null))!.Clocks.Single(c => c.Kind == ClockKind.Decision).DueAt!.Value;
}
