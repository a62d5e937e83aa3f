using System.Collections.Immutable;
using NodaTime;

namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// A treaty, convention or act under which one state asks another for assistance, as the catalogue records it: its
/// parties and their dates, the authorities they designated, the channel requests travel by, the languages and
/// content it requires, and the bases a filing may name under it. Every line carries its source.
/// </summary>
public sealed record Instrument
{
    public required string Code { get; init; }
    public required string Title { get; init; }
    public required string ShortTitle { get; init; }
    public required InstrumentKind Kind { get; init; }
    public LocalDate? Adopted { get; init; }

    /// <summary>The day the instrument entered into force at all; null while it is not in force.</summary>
    public LocalDate? EntryIntoForce { get; init; }

    public required SourceReference Source { get; init; }
    public required string Channel { get; init; }
    public required string ChannelSource { get; init; }
    public required string LanguageRule { get; init; }
    public required string LanguageSource { get; init; }
    public required ImmutableArray<RequiredContent> ContentRequired { get; init; }
    public required ImmutableArray<InstrumentBasis> Bases { get; init; }
    public required ImmutableArray<InstrumentParty> Parties { get; init; }
    public required ImmutableArray<Signature> Signatories { get; init; }
    public required ImmutableArray<Designation> Designations { get; init; }
    public string? Note { get; init; }

    /// <summary>The requested state's duties the lifecycle enforces under this instrument, each with its article (file: <c>"duties"</c>).</summary>
    public ImmutableArray<InstrumentObligation> Obligations { get; init; } = [];

    /// <summary>Only carried by requests migrated from before the catalogue; no filing may name it.</summary>
    public bool LegacyOnly { get; init; }

    /// <summary>The obligation <paramref name="duty"/> as this instrument words it, or null when it has none.</summary>
    public InstrumentObligation? Obligation(InstrumentDuty duty) => Obligations.FirstOrDefault(o => o.Duty == duty);

    /// <summary>The party record of <paramref name="state"/> in force on <paramref name="day"/>, if it is bound then.</summary>
    public InstrumentParty? PartyOn(string state, LocalDate day) =>
        EntryIntoForce is { } inForce && day >= inForce ? Parties.FirstOrDefault(p => p.State == state && p.BoundOn(day)) : null;

    /// <summary>The authorities <paramref name="state"/> designated under this instrument; empty when the catalogue records none.</summary>
    public ImmutableArray<string> DesignatedBy(string state) =>
        [.. Designations.Where(d => d.State == state).SelectMany(d => d.Authorities).Distinct()];
}
