using System.Collections.Immutable;
using MutualAssistance.Contracts.Instruments;
using NodaTime;

namespace MutualAssistance.Domain.Instruments;

/// <summary>The catalogue as the API serves it.</summary>
public static class InstrumentViews
{
    public static InstrumentView Of(Instrument i) => new()
    {
        Code = i.Code,
        Title = i.Title,
        ShortTitle = i.ShortTitle,
        Kind = i.Kind switch
        {
            InstrumentKind.Multilateral => "multilateral",
            InstrumentKind.Regional => "regional",
            InstrumentKind.Bilateral => "bilateral",
            _ => "eu-law",
        },
        Adopted = Day(i.Adopted),
        EntryIntoForce = Day(i.EntryIntoForce),
        Source = Of(i.Source),
        Channel = i.Channel,
        ChannelSource = i.ChannelSource,
        LanguageRule = i.LanguageRule,
        LanguageSource = i.LanguageSource,
        ContentRequired = [.. i.ContentRequired.Select(c => new RequiredContentView { Item = c.Item, Source = c.Source })],
        Bases = [.. i.Bases.Select(b => Of(i, b))],
        Parties = [.. i.Parties.Select(p => new PartyView
        {
            State = p.State, Since = p.Since.ToDateOnly(), Until = Day(p.Until), Languages = [.. p.Languages], Declarations = p.Declarations, Source = Of(p.Source),
        })],
        Signatories = [.. i.Signatories.Select(s => new SignatoryView { State = s.State, SignedOn = Day(s.SignedOn), Source = Of(s.Source) })],
        Designations = [.. i.Designations.Select(d => new DesignationView { State = d.State, Authorities = [.. d.Authorities], Article = d.Article, Source = Of(d.Source) })],
        Note = i.Note,
        LegacyOnly = i.LegacyOnly,
    };

    public static LegalBasisView Of(Instrument instrument, InstrumentBasis basis) => new()
    {
        Code = basis.Code, Title = basis.Title, Article = basis.Article, Instrument = instrument.Code, InstrumentShortTitle = instrument.ShortTitle,
    };

    public static ImmutableArray<BindingBasisView> Binding(InstrumentCatalogue catalogue, string requestingState, string requestedState, LocalDate day) =>
        [.. catalogue.Binding(requestingState, requestedState, day).Select(b => new BindingBasisView
        {
            Basis = Of(b.Instrument, b.Basis),
            RequestedStateDesignated = b.Instrument.DesignatedBy(requestedState),
            Channel = b.Instrument.Channel,
        })];

    private static SourceView Of(SourceReference s) => new()
    {
        Citation = s.Citation, Url = s.Url, Checked = Day(s.Checked), Confidence = s.Confidence == SourceConfidence.Checked ? "checked" : "lead",
    };

    private static DateOnly? Day(LocalDate? date) => date?.ToDateOnly();
}
