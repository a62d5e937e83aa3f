using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary>A request's whole history through the grain, page by page.</summary>
public static class GrainHistory
{
    public static async Task<ImmutableArray<HistoryEntryView>> History(this IAssistanceRequestGrain grain, int pageSize = HistoryPage.MaxLimit)
    {
        var all = ImmutableArray.CreateBuilder<HistoryEntryView>();
        var after = 0;
        while (true)
        {
            var page = await grain.GetHistory(after, pageSize);
            all.AddRange(page.Items);
            if (page.Next is not { } next)
            {
                return all.ToImmutable();
            }

            after = next;
        }
    }
}
