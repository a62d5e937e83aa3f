using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Instruments;

/// <summary>An instrument of the catalogue as the API serves it: parties, designations, channel, languages, content and bases, each with its source.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.InstrumentView")]
public sealed record InstrumentView
{
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public required string Title { get; init; }
    [Id(2)] public required string ShortTitle { get; init; }

    /// <summary><c>multilateral</c>, <c>regional</c>, <c>bilateral</c> or <c>eu-law</c>.</summary>
    [Id(3)] public required string Kind { get; init; }
    [Id(4)] public DateOnly? Adopted { get; init; }

    /// <summary>Null while the instrument is not in force at all.</summary>
    [Id(5)] public DateOnly? EntryIntoForce { get; init; }
    [Id(6)] public required SourceView Source { get; init; }
    [Id(7)] public required string Channel { get; init; }
    [Id(8)] public required string ChannelSource { get; init; }
    [Id(9)] public required string LanguageRule { get; init; }
    [Id(10)] public required string LanguageSource { get; init; }
    [Id(11)] public required ImmutableArray<RequiredContentView> ContentRequired { get; init; }
    [Id(12)] public required ImmutableArray<LegalBasisView> Bases { get; init; }
    [Id(13)] public required ImmutableArray<PartyView> Parties { get; init; }
    [Id(14)] public required ImmutableArray<SignatoryView> Signatories { get; init; }
    [Id(15)] public required ImmutableArray<DesignationView> Designations { get; init; }
    [Id(16)] public string? Note { get; init; }

    /// <summary>Only requests migrated from before the catalogue carry it; no filing may name it.</summary>
    [Id(17)] public required bool LegacyOnly { get; init; }
}
