using System.Collections.Frozen;
using System.Collections.Immutable;
using MutualAssistance.Domain.Authorities;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Instruments;
using NodaTime;

namespace MutualAssistance.Domain.ReferenceData;

/// <summary>
/// The data the rules run on: the authority directory, the states' working calendars (with the closures declared
/// at run time), the policy table and the instrument catalogue. <see cref="FilesVersion"/> is a digest of the files it was read from,
/// <see cref="ClosureSequence"/> the last closure change it includes; <see cref="Version"/> names both.
/// <see cref="Fingerprints"/> hold a digest per state calendar, per authority and per legal basis, so that a
/// deployment that changes one of them can find the clocks it moves.
/// </summary>
public sealed class ReferenceDataSet
{
    private readonly FrozenDictionary<string, WorkingCalendar> byAuthority;

    public ReferenceDataSet(AuthorityDirectory authorities, CalendarBook calendars, PolicyTable policies, InstrumentCatalogue instruments, string filesVersion,
        ImmutableDictionary<string, string>? fingerprints = null, ImmutableArray<DeclaredClosure> closures = default, long closureSequence = 0)
    {
        Authorities = authorities;
        Instruments = instruments;
        Policies = policies;
        FilesVersion = filesVersion;
        Fingerprints = fingerprints ?? ImmutableDictionary<string, string>.Empty;
        Closures = closures.IsDefault ? [] : closures;
        ClosureSequence = closureSequence;
        Calendars = Closures.IsEmpty && !calendars.All.Any(c => !c.DeclaredClosures.IsEmpty) ? calendars : calendars.WithClosures(Closures);

        // An authority's own calendar: its weekly rest days where it has its own, its region's closures where it is located.
        byAuthority = authorities.All
            .Where(a => a.Weekend is not null || a.Location?.Region is not null)
            .ToFrozenDictionary(
                a => a.Code,
                a =>
                {
                    var calendar = Calendars.For(a.State).InRegion(a.Location?.Region);
                    return a.Weekend is { } weekend ? calendar.WithWeekend(weekend) : calendar;
                },
                StringComparer.Ordinal);
    }

    public AuthorityDirectory Authorities { get; }

    /// <summary>The states' calendars, declared closures included.</summary>
    public CalendarBook Calendars { get; }

    public PolicyTable Policies { get; }

    /// <summary>The instruments, their parties and designations, and the bases a filing may name.</summary>
    public InstrumentCatalogue Instruments { get; }

    public string FilesVersion { get; }

    public ImmutableDictionary<string, string> Fingerprints { get; }

    public ImmutableArray<DeclaredClosure> Closures { get; }

    public long ClosureSequence { get; }

    public string Version => ClosureSequence == 0 ? FilesVersion : $"{FilesVersion}.{ClosureSequence}";

    /// <summary>The same files with exactly these declared closures, as of closure change <paramref name="sequence"/>.</summary>
    public ReferenceDataSet WithClosures(ImmutableArray<DeclaredClosure> closures, long sequence) =>
        new(Authorities, Calendars, Policies, Instruments, FilesVersion, Fingerprints, closures, sequence);

    /// <summary>The same data with other calendars (tests; a reload of the files).</summary>
    public ReferenceDataSet WithCalendars(CalendarBook calendars, string filesVersion) =>
        new(Authorities, calendars, Policies, Instruments, filesVersion, Fingerprints, Closures, ClosureSequence);

    /// <summary>The calendar and time zone that an authority's deadlines run on.</summary>
    public (WorkingCalendar Calendar, DateTimeZone Zone) CalendarOf(string authorityCode)
    {
        // An authority no longer in the directory keeps working: on its state's calendar (by code) in UTC.
        var authority = Authorities.Find(authorityCode);
        if (authority is null)
        {
            return (Calendars.For(authorityCode.Split('-')[0]), DateTimeZone.Utc);
        }

        return (byAuthority.TryGetValue(authorityCode, out var own) ? own : Calendars.For(authority.State), authority.TimeZone);
    }
}
