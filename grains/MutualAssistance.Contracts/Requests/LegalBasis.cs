namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// The codes of the legal bases that rules in code name. Every basis a filing may name is data: a basis of an
/// instrument of the catalogue (<c>ReferenceData/instruments/*.json</c>), served at <c>/api/reference/legal-bases</c>;
/// its clocks come from <c>policies.json</c>.
/// </summary>
public static class LegalBases
{
    /// <summary>European Investigation Order, Directive 2014/41/EU.</summary>
    public const string Eio = "eio";

    /// <summary>Second Additional Protocol to the Budapest Convention (CETS 224) art. 8, order for subscriber information.</summary>
    public const string Cets224Subscriber = "cets224-subscriber";

    /// <summary>Second Additional Protocol to the Budapest Convention (CETS 224) art. 8, order for traffic data.</summary>
    public const string Cets224Traffic = "cets224-traffic";

    /// <summary>
    /// A bilateral treaty the catalogue does not identify: only requests filed before the catalogue under the old
    /// free-text "treaty" basis carry it (<see cref="LegacyLegalBasis"/>); no filing may name it.
    /// </summary>
    public const string BilateralUnspecified = "bilateral-unspecified";
}
