using System.Collections.Immutable;

namespace MutualAssistance.Federation.Wire;

/// <summary>
/// Maps the items of an array between the domain and the wire. An array that was never set (default) stays so, and
/// fails when written, exactly as the domain's array did when it was written itself: the mapping adds no behaviour.
/// </summary>
internal static class WireArrays
{
    public static ImmutableArray<TOut> Map<TIn, TOut>(ImmutableArray<TIn> items, Func<TIn, TOut> map) =>
        items.IsDefault ? default : items.Select(map).ToImmutableArray();
}
