using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Instruments;

/// <summary>
/// A basis that binds the requesting and the requested state on the day asked about, with the authorities the
/// requested state designated under its instrument (empty when the catalogue records none: any of its authorities).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.BindingBasisView")]
public sealed record BindingBasisView
{
    [Id(0)] public required LegalBasisView Basis { get; init; }
    [Id(1)] public required ImmutableArray<string> RequestedStateDesignated { get; init; }
    [Id(2)] public required string Channel { get; init; }
}
