using System.Text.RegularExpressions;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// The basis of a request filed before the instrument catalogue: the EIO and CETS 224 bases keep their codes; a
/// "treaty" named in free text becomes the catalogued instrument the text names unambiguously (the patterns below,
/// each a name or abbreviation of one instrument), otherwise <see cref="LegalBases.BilateralUnspecified"/>, shown as
/// such. A migration table, not a rule for new filings: those name a catalogue code.
/// </summary>
public static partial class LegacyBasis
{
    private static readonly (Regex Pattern, string Code)[] Named =
    [
        (Untoc(), "untoc"),
        (Uncac(), "uncac"),
        (Minsk(), "minsk-1993"),
        (Chisinau(), "chisinau-2002"),
        (Shanghai(), "sco-shanghai-2001"),
        (Extremism(), "sco-extremism-2017"),
    ];

    /// <summary>The catalogue code of <paramref name="filed"/>'s basis.</summary>
    public static string Of(FileRequest filed) => filed.LegalBasis ?? filed.LegacyBasis switch
    {
        LegacyLegalBasis.Eio => LegalBases.Eio,
        LegacyLegalBasis.Cets224Subscriber => LegalBases.Cets224Subscriber,
        LegacyLegalBasis.Cets224Traffic => LegalBases.Cets224Traffic,
        _ => Identify(filed.Treaty),
    };

    /// <summary>
    /// What a silo of the release before the catalogue, which reads only the old fields, takes the basis of a request
    /// filed now to be during a rolling upgrade (docs/operations.md): the EIO and CETS 224 bases as they were, every
    /// other a "treaty" (without text); this release reads <see cref="FileRequest.LegalBasis"/>.
    /// </summary>
    public static LegacyLegalBasis ForOlderSilos(string basis) => basis switch
    {
        LegalBases.Eio => LegacyLegalBasis.Eio,
        LegalBases.Cets224Subscriber => LegacyLegalBasis.Cets224Subscriber,
        LegalBases.Cets224Traffic => LegacyLegalBasis.Cets224Traffic,
        _ => LegacyLegalBasis.Treaty,
    };

    /// <summary>The instrument a free-text treaty name identifies, or "bilateral, unspecified" when it names none or several.</summary>
    public static string Identify(string? treaty)
    {
        if (string.IsNullOrWhiteSpace(treaty))
        {
            return LegalBases.BilateralUnspecified;
        }

        var matches = Named.Where(n => n.Pattern.IsMatch(treaty)).Select(n => n.Code).Distinct().ToArray();
        return matches.Length == 1 ? matches[0] : LegalBases.BilateralUnspecified;
    }

    [GeneratedRegex(@"\bUNTOC\b|Palermo|Transnational Organi[sz]ed Crime", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Untoc();

    [GeneratedRegex(@"\bUNCAC\b|M[eé]rida|against Corruption", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Uncac();

    [GeneratedRegex(@"\bMinsk\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Minsk();

    [GeneratedRegex(@"Chi[sș]in[aă]u|Kishin[eyi]v", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Chisinau();

    [GeneratedRegex(@"Shanghai Convention|Terrorism, Separatism and Extremism", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shanghai();

    [GeneratedRegex(@"Countering Extremism", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Extremism();
}
