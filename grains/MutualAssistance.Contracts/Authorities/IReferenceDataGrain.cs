using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Authorities;

/// <summary>The reference data the silos run on (authority directory, calendars, instrument catalogue), for the API to serve.</summary>
[Alias("ma.IReferenceDataGrain")]
public interface IReferenceDataGrain : IGrainWithIntegerKey
{
    [Alias("GetAuthorities")]
    Task<ImmutableArray<AuthorityView>> GetAuthorities();

    /// <summary>
    /// The calendar of the state of <paramref name="authorityCode"/> for <paramref name="year"/> as <paramref name="viewer"/>
    /// may see it (who declared a closure only to that state's admins); null when none is loaded.
    /// </summary>
    [Alias("GetCalendarFor")]
    Task<CalendarView?> GetCalendar(string authorityCode, int year, Requests.Actor viewer);

    /// <summary>Describes due times on their responsible authorities' calendars as of <paramref name="now"/>, in order.</summary>
    [Alias("Describe")]
    Task<ImmutableArray<DeadlineTiming>> Describe(ImmutableArray<DueQuery> dues, DateTimeOffset now);

    /// <summary>The instrument catalogue: every instrument with its parties, designations and bases.</summary>
    [Alias("GetInstruments")]
    Task<ImmutableArray<Instruments.InstrumentView>> GetInstruments();

    /// <summary>The codes of the bases a filing may name (every basis of the catalogue but those only migrated requests carry).</summary>
    [Alias("GetFilingBases")]
    Task<ImmutableArray<string>> GetFilingBases();

    /// <summary>Whether <paramref name="code"/> is a basis of the catalogue (one only migrated requests carry included: lists filter on it).</summary>
    [Alias("IsLegalBasis")]
    Task<bool> IsLegalBasis(string code);

    /// <summary>
    /// The bases a request from <paramref name="requestingAuthority"/> to <paramref name="requestedAuthority"/> may be
    /// filed under on <paramref name="day"/> (both states bound); null when either authority is unknown.
    /// </summary>
    [Alias("GetBindingBases")]
    Task<ImmutableArray<Instruments.BindingBasisView>?> GetBindingBases(string requestingAuthority, string requestedAuthority, DateOnly day);
}
