using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>Route and query values by their wire names (<see cref="WireNames"/> owns them).</summary>
public static class Names
{
    public static bool TryParseAction(string name, out RequestAction action) => WireNames.TryParse(name, out action);

    public static IEnumerable<string> AllActions => WireNames.All<RequestAction>().Order(StringComparer.Ordinal);
}
