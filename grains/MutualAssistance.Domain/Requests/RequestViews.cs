using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// The views of the current request version already built, per viewer's authority and role (what a view depends
/// on besides the request and the reference data): dashboards and handlers re-reading an unchanged request get the
/// same immutable view again instead of a new one built and allocated per read. A new version or new reference
/// data starts afresh.
/// </summary>
public sealed class RequestViews
{
    /// <summary>Viewers kept per version: the parties' roles, a few times over; more are built but not kept.</summary>
    private const int Kept = 12;

    private readonly Dictionary<(string? Authority, Role? Role), AssistanceRequestView> views = [];
    private AssistanceRequest? request;
    private ReferenceDataSet? data;

    public AssistanceRequestView Of(AssistanceRequest current, Actor? viewer, ReferenceDataSet currentData)
    {
        if (!ReferenceEquals(current, request) || !ReferenceEquals(currentData, data))
        {
            views.Clear();
            (request, data) = (current, currentData);
        }

        var key = (viewer?.Authority, viewer?.Role);
        if (!views.TryGetValue(key, out var view))
        {
            view = current.ToView(viewer, currentData);
            if (views.Count < Kept)
            {
                views[key] = view;
            }
        }

        return view;
    }
}
