using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Domain.Calendars;

namespace MutualAssistance.Domain.Authorities;

/// <summary>Declared closures as the API shows them.</summary>
public static class ClosureViews
{
    /// <summary>The closure with who declared it (for an admin of its state: <see cref="ClosureRules.Refusal"/> is null).</summary>
    public static ClosureView Of(DeclaredClosure closure) => Of(closure, showDeclarer: true);

    /// <summary>The closure, naming who declared it only when <paramref name="showDeclarer"/>.</summary>
    public static ClosureView Of(DeclaredClosure closure, bool showDeclarer) => new()
    {
        Date = closure.Date.ToDateOnly(),
        Reason = closure.Reason,
        DeclaredBy = showDeclarer ? closure.DeclaredBy : null,
        DeclaredByAuthority = closure.DeclaredByAuthority,
        DeclaredAt = closure.DeclaredAt,
        Region = closure.Region,
    };
}
