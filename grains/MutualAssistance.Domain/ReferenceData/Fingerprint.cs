namespace MutualAssistance.Domain.ReferenceData;

/// <summary>The keys of <see cref="ReferenceDataSet.Fingerprints"/>: what a change of reference data can move.</summary>
public static class Fingerprint
{
    public const string CalendarPrefix = "calendar:";
    public const string AuthorityPrefix = "authority:";
    public const string PolicyPrefix = "policy:";

    /// <summary>A state's calendar files: every clock whose responsible authority is of that state.</summary>
    public static string Calendar(string state) => CalendarPrefix + state;

    /// <summary>An authority's state, zone and weekly rest days: every clock it is responsible for.</summary>
    public static string Authority(string code) => AuthorityPrefix + code;

    /// <summary>A legal basis's clock rules: every open clock of a request under it.</summary>
    public static string Policy(string basis) => PolicyPrefix + basis;
}
