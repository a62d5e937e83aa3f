using System.Collections.Immutable;
using System.Text.RegularExpressions;
using System.Globalization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// The one place a filing is checked: who may file it (role and side), and every field, by its camelCase JSON
/// path, so that the API maps the errors to problem details without rules of its own. A field the caller left out
/// arrives as null (an absent legal basis as an undefined value) and is reported here as required.
/// </summary>
public static partial class FilingRules
{
    // The numbers are the contract's (FieldLimits), which /api/reference also hands to the page.
    public const int MaxSubject = FieldLimits.Subject;
    public const int MaxSummary = FieldLimits.Summary;
    public const int MaxShortText = FieldLimits.ShortText;
    public const int MaxLanguage = FieldLimits.Language;
    public const int MaxPersons = FieldLimits.Persons;
    public const int MaxRelated = FieldLimits.Related;

    /// <summary>How far back a request received off-system may be registered.</summary>
    public static readonly TimeSpan MaxReceivedInPast = TimeSpan.FromDays(366);

    /// <summary>What is wrong with <paramref name="request"/>, field by field; empty when nothing is.</summary>
    public static ImmutableDictionary<string, FieldMessage> Check(FileRequest request, DateTimeOffset now, ReferenceDataSet data)
    {
        var errors = ImmutableDictionary.CreateBuilder<string, FieldMessage>();
        void Fail(string field, FieldMessage message) => errors.TryAdd(field, message);

        AuthorityCode(request.RequestingAuthority, "requestingAuthority", data, Fail);
        AuthorityCode(request.RequestedAuthority, "requestedAuthority", data, Fail);
        if (request.RequestingAuthority is not null && request.RequestingAuthority == request.RequestedAuthority)
        {
            Fail("requestedAuthority", FieldMessages.MustDifferFromRequesting());
        }

        Basis(request, now, data, Fail);
        if (request.Treaty is not null)
        {
            Fail("treaty", FieldMessages.TreatyRetired());
        }

        if (!Enum.IsDefined(request.Urgency))
        {
            Fail("urgency", FieldMessages.OneOf(WireNames.All<Urgency>()));
        }

        if (request.AssistanceTypes is not { IsDefault: false, Length: > 0 } types)
        {
            Fail("assistanceTypes", FieldMessages.AtLeastOneAssistanceType());
        }
        else if (types.Distinct().Count() != types.Length)
        {
            Fail("assistanceTypes", FieldMessages.AssistanceTypeOnce());
        }
        else if (types.Any(t => !Enum.IsDefined(t)))
        {
            Fail("assistanceTypes", FieldMessages.EachOneOf(WireNames.All<AssistanceType>()));
        }

        if (request.ReceivedAt is { } receivedAt)
        {
            if (receivedAt > now)
            {
                Fail("receivedAt", FieldMessages.NotInFuture());
            }
            else if (receivedAt < now - MaxReceivedInPast)
            {
                Fail("receivedAt", FieldMessages.AtMostDaysBack((int)MaxReceivedInPast.TotalDays));
            }
        }

        // Source: no treaty article; a rule of this system (issue 24). A date already past cannot be met, and the clocks
        // that take it as their last day (EIO art. 12(2), treaty targets) would start breached, the whole ladder in one
        // second. The day of filing itself is refused as well: a request asked for "by today" cannot be met either.
        if (request.RequestedBy is { } requestedBy && FilingDay(request, now, data) is { } filingDay && requestedBy <= filingDay)
        {
            Fail("requestedBy", FieldMessages.AfterFilingDay(filingDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        RequestedByReasons(request, data, Fail);
        Text(request.Subject, "subject", MaxSubject, required: true, Fail);
        Text(request.SummaryOfFacts, "summaryOfFacts", MaxSummary, required: true, Fail);
        Text(request.RequestingReference, "requestingReference", MaxShortText, required: false, Fail);
        Text(request.Language, "language", MaxLanguage, required: false, Fail);

        var persons = request.PersonsConcerned.IsDefault ? [] : request.PersonsConcerned;
        if (persons.Length > MaxPersons)
        {
            Fail("personsConcerned", FieldMessages.AtMostPersons(MaxPersons));
        }
        else
        {
            for (var i = 0; i < persons.Length; i++)
            {
                if (persons[i] is not { } person)
                {
                    Fail($"personsConcerned[{i}]", FieldMessages.PersonRequired());
                    continue;
                }

                Text(person.Name, $"personsConcerned[{i}].name", MaxShortText, required: true, Fail);
                Text(person.Role, $"personsConcerned[{i}].role", MaxShortText, required: true, Fail);
                Text(person.Nationality, $"personsConcerned[{i}].nationality", MaxShortText, required: false, Fail);
            }
        }

        if (!request.RelatedRequestIds.IsDefault && request.RelatedRequestIds.Length > MaxRelated)
        {
            Fail("relatedRequestIds", FieldMessages.AtMostRelated(MaxRelated));
        }

        return errors.ToImmutable();
    }

    /// <summary>
    /// The basis must be one of the catalogue's, bind both states on the day the request was made (the day it was
    /// received, in the requested authority's zone), and, where the requested state designated authorities under it,
    /// go to one of them: UNTOC art. 18(1) and 18(13), UNCAC art. 46(1) and 46(13), and the bilateral treaties' central
    /// authority articles oblige parties only, through the authorities they designated. Each refusal names the bases
    /// that would be valid, or the designated authorities. A state without designations in the catalogue is not
    /// checked for them (the catalogue says where it records none).
    /// </summary>
    /// <summary>
    /// UNTOC art. 18(24) (UNCAC art. 46(24)): the requested state takes account of deadlines suggested "and for which
    /// reasons are given, preferably in the request". Under a basis whose instrument words that duty (data: the
    /// catalogue's <c>deadline-with-reasons</c>), a <c>requestedBy</c> date needs its <c>requestedByReasons</c>; under
    /// any basis, reasons need a date to be the reasons of.
    /// </summary>
    private static void RequestedByReasons(FileRequest request, ReferenceDataSet data, Action<string, FieldMessage> fail)
    {
        const string field = "requestedByReasons";
        if (string.IsNullOrWhiteSpace(request.RequestedByReasons))
        {
            if (request.RequestedBy is not null && data.Instruments.InstrumentOf(request.LegalBasis) is { } instrument
                && instrument.Obligation(Instruments.InstrumentDuty.DeadlineWithReasons) is { } duty)
            {
                fail(field, FieldMessages.RequestedByReasonsRequired($"{instrument.ShortTitle} {duty.Article}"));
            }

            return;
        }

        if (request.RequestedBy is null)
        {
            fail(field, FieldMessages.RequestedByReasonsWithoutDate());
            return;
        }

        Text(request.RequestedByReasons, field, FieldLimits.ActionText, required: false, fail);
    }

    private static void Basis(FileRequest request, DateTimeOffset now, ReferenceDataSet data, Action<string, FieldMessage> fail)
    {
        var requesting = request.RequestingAuthority is { } from ? data.Authorities.Find(from) : null;
        var requested = request.RequestedAuthority is { } to ? data.Authorities.Find(to) : null;
        var day = DeadlineCalculator.LocalDate(request.ReceivedAt ?? now, requested?.TimeZone ?? NodaTime.DateTimeZone.Utc);
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Valid()
        {
            var codes = requesting is not null && requested is not null
                ? data.Instruments.Binding(requesting.State, requested.State, day).Select(b => b.Basis.Code).ToList()
                : [.. data.Instruments.All.Where(i => !i.LegacyOnly).SelectMany(i => i.Bases).Select(b => b.Code)];
            return codes.Count == 0 ? "-" : string.Join(", ", codes);
        }

        if (string.IsNullOrWhiteSpace(request.LegalBasis))
        {
            fail("legalBasis", FieldMessages.RequiredOneOf([Valid()]));
            return;
        }

        if (data.Instruments.FindBasis(request.LegalBasis) is not { } found || found.Instrument.LegacyOnly)
        {
            fail("legalBasis", FieldMessages.NotAFilingBasis(request.LegalBasis, dayText, Valid()));
            return;
        }

        if (requesting is null || requested is null)
        {
            return;
        }

        foreach (var state in new[] { requesting.State, requested.State }.Distinct())
        {
            if (found.Instrument.PartyOn(state, day) is null)
            {
                fail("legalBasis", FieldMessages.BasisNotBinding(found.Instrument.ShortTitle, state, dayText, Valid()));
                return;
            }
        }

        var designated = found.Instrument.DesignatedBy(requested.State);
        if (!designated.IsEmpty && !designated.Contains(requested.Code))
        {
            fail("requestedAuthority", FieldMessages.NotDesignated(requested.Code, requested.State, found.Instrument.ShortTitle, string.Join(", ", designated)));
        }
    }

    /// <summary>
    /// The day of filing against which <c>requestedBy</c> is held: the date of <paramref name="now"/> (the filing on
    /// this system, not an earlier <c>receivedAt</c>: the clocks the date governs start no earlier than that) in the
    /// requested authority's time zone, the zone those clocks read the date in: the policies give <c>requestedBy</c>
    /// effect only on requested-side clocks (decision and execution), and a clock ends at the close of its last day in
    /// its responsible authority's zone (<see cref="ReferenceDataSet.CalendarOf"/>, <see cref="DeadlineCalculator"/>).
    /// Null while the requested authority is unknown: that is refused on its own field, and the date is checked again
    /// when it is filed with a known one.
    /// </summary>
    public static DateOnly? FilingDay(FileRequest request, DateTimeOffset now, ReferenceDataSet data) =>
        request.RequestedAuthority is { } code && data.Authorities.Find(code) is not null
            ? DeadlineCalculator.LocalDate(now, data.CalendarOf(code).Zone).ToDateOnly()
            : null;

    /// <summary>Why <paramref name="actor"/> may not file <paramref name="request"/>, or null when it may.</summary>
    public static string? Refusal(FileRequest request, Actor actor)
    {
        var side = actor.Authority == request.RequestingAuthority ? Side.Requesting
            : actor.Authority == request.RequestedAuthority ? Side.Requested
            : (Side?)null;
        if (side is { } s && Roles.MayFile(actor.Role, s))
        {
            return null;
        }

        return "Filers and supervisors file for their own (requesting) authority; handlers and supervisors register requests received by their own (requested) authority.";
    }

    private static void AuthorityCode(string? value, string field, ReferenceDataSet data, Action<string, FieldMessage> fail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            fail(field, FieldMessages.AuthorityRequired());
        }
        else if (!AuthorityCodePattern().IsMatch(value))
        {
            fail(field, FieldMessages.AuthorityFormat());
        }
        else if (data.Authorities.Find(value) is null)
        {
            fail(field, FieldMessages.UnknownAuthority(value));
        }
    }

    /// <summary>A free-text field: required or not, at most <paramref name="max"/> characters, no control characters but line breaks and tabs.</summary>
    public static void Text(string? value, string field, int max, bool required, Action<string, FieldMessage> fail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                fail(field, FieldMessages.Required());
            }

            return;
        }

        if (value.Length > max)
        {
            fail(field, FieldMessages.AtMostCharacters(max));
        }
        else if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            fail(field, FieldMessages.NoControlCharacters());
        }
    }

    [GeneratedRegex("^[A-Z]{2}-[A-Z0-9][A-Z0-9-]{0,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorityCodePattern();
}
