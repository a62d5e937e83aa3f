using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Grains.Calendars;

namespace MutualAssistance.Grains.Authorities;

/// <summary>Declared closures as the API shows them.</summary>
public static class ClosureViews
{
    public static ClosureView Of(DeclaredClosure closure) => new()
    {
        Date = closure.Date.ToDateOnly(),
        Reason = closure.Reason,
        DeclaredBy = closure.DeclaredBy,
        DeclaredByAuthority = closure.DeclaredByAuthority,
        DeclaredAt = closure.DeclaredAt,
    };
}
