using System.Collections.Frozen;
using System.Collections.Immutable;
using NodaTime;

namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// The instruments that bind the states of the directory (<c>ReferenceData/instruments/*.json</c>), and the questions
/// the rules ask of them: what a basis code names, which bases bind two states on a day, whom a party designated.
/// </summary>
public sealed class InstrumentCatalogue
{
    private readonly FrozenDictionary<string, (Instrument Instrument, InstrumentBasis Basis)> byBasis;

    public InstrumentCatalogue(IEnumerable<Instrument> instruments)
    {
        All = [.. instruments.OrderBy(i => i.Code, StringComparer.Ordinal)];
        byBasis = All.SelectMany(i => i.Bases.Select(b => (Key: b.Code, Value: (i, b)))).ToFrozenDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    public ImmutableArray<Instrument> All { get; }

    /// <summary>Every basis code, in the catalogue's order.</summary>
    public IEnumerable<string> BasisCodes => All.SelectMany(i => i.Bases).Select(b => b.Code);

    public (Instrument Instrument, InstrumentBasis Basis)? FindBasis(string? code) =>
        code is not null && byBasis.TryGetValue(code, out var found) ? found : null;

    /// <summary>The instrument a basis code belongs to.</summary>
    public Instrument? InstrumentOf(string? basisCode) => FindBasis(basisCode)?.Instrument;

    /// <summary>The bases a filing from <paramref name="requesting"/> to <paramref name="requested"/> may name on <paramref name="day"/>: both states bound.</summary>
    public IEnumerable<(Instrument Instrument, InstrumentBasis Basis)> Binding(string requesting, string requested, LocalDate day) =>
        from instrument in All
        where !instrument.LegacyOnly && instrument.PartyOn(requesting, day) is not null && instrument.PartyOn(requested, day) is not null
        from basis in instrument.Bases
        select (instrument, basis);
}
