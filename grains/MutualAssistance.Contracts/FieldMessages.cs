using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace MutualAssistance.Contracts;

/// <summary>
/// The wording of every field message the rules give, in English, by key: the one catalogue. The rules build a
/// <see cref="FieldMessage"/> through these methods; the API words it in Russian and Chinese from its resources
/// (<c>FieldText.ru.resx</c>, <c>.zh.resx</c>, keyed the same; a test fails when one lacks a key or a placeholder).
/// Placeholders are <c>{0}</c>, <c>{1}</c>... in the order of the arguments.
/// </summary>
public static class FieldMessages
{
    private static readonly FrozenDictionary<string, string> Texts = new Dictionary<string, string>
    {
        [nameof(Required)] = "Required.",
        [nameof(RequiredFor)] = "Required for '{0}'.",
        [nameof(AtMostCharacters)] = "At most {0} characters.",
        [nameof(NoControlCharacters)] = "May not contain control characters.",
        [nameof(AuthorityRequired)] = "Required: an authority code such as CN-MOJ.",
        [nameof(AuthorityFormat)] = "Must be an authority code: two capital letters (the state), a hyphen, then capitals, digits or hyphens (e.g. CN-MOJ).",
        [nameof(UnknownAuthority)] = "Unknown authority '{0}'; GET /api/authorities lists them.",
        [nameof(MustDifferFromRequesting)] = "Must differ from requestingAuthority.",
        [nameof(ForwardWithinState)] = "Must be an authority of {0} from the directory, other than {1}: one of {2}.",
        [nameof(NowhereToForward)] = "{1} is the only authority of {0} in the directory: there is none to forward to.",
        [nameof(RequiredOneOf)] = "Required: one of {0}.",
        [nameof(OneOf)] = "One of {0}.",
        [nameof(EachOneOf)] = "Each one of {0}.",
        [nameof(AtLeastOneAssistanceType)] = "Required: at least one type of assistance.",
        [nameof(AssistanceTypeOnce)] = "Each type of assistance may appear once.",
        [nameof(NotInFuture)] = "May not lie in the future.",
        [nameof(AtMostDaysBack)] = "May lie at most {0} days back.",
        [nameof(NotBeforeReceipt)] = "May not lie before the request was received ({0}).",
        [nameof(AfterFilingDay)] = "Must lie after the day of filing ({0}, in the requested authority's time zone): a date already past, or today, cannot be met.",
        [nameof(AtMostPersons)] = "At most {0} persons.",
        [nameof(PersonRequired)] = "Required: an object with name and role.",
        [nameof(AtMostRelated)] = "At most {0} related requests.",
        [nameof(ClockRequired)] = "Required: the kind of clock to extend.",
        [nameof(NoOpenClock)] = "No open {0} clock to extend.",
        [nameof(ClockNotExtendable)] = "The {0} clock cannot be extended under this legal basis.",
        [nameof(ExtensionDays)] = "Required: a whole number of days from 1 to {0}.",
        [nameof(ExtendedTooOften)] = "The {0} clock may be extended at most {1} time(s); it has been.",
        [nameof(ExtensionTooLong)] = "An extension of the {0} clock may be at most {1} days.",
        [nameof(ExtensionsTooLong)] = "Extensions of the {0} clock may add at most {1} days in all; {2} taken, {3} left.",
        [nameof(EstimateRequired)] = "Required: the new estimate of when this will be done.",
        [nameof(RequestedByReasonsRequired)] = "Required with a requested-by date: the reasons for it ({0}: deadlines suggested with reasons, preferably in the request).",
        [nameof(RequestedByReasonsWithoutDate)] = "Reasons are given for a requested-by date; give the date too, or leave the reasons out.",
        [nameof(EstimateNotPast)] = "Must not lie before today ({0}, in the responsible authority's time zone).",
        [nameof(NoDelayToReport)] = "'{0}' is reported on an open clock of one of: {1}.",
        [nameof(ClosureDay)] = "A day from {0} to {1}.",
        [nameof(UnknownRegion)] = "No authority of this state is located in '{0}' (known regions: {1}).",
        [nameof(ServedNowhere)] = "'{0}' is served neither by this node ({1}) nor by any of its peers.",
        [nameof(NeitherPartyHere)] = "Neither party is served by this node ({0}): file it on the node of one of them.",
        [nameof(Range)] = "From {0} to {1}.",
        [nameof(CharactersRange)] = "From 1 to {0} characters.",
        [nameof(NotACursor)] = "Not a cursor given by this API.",
        [nameof(UnknownStatus)] = "Unknown status '{0}'.",
        [nameof(UnknownLegalBasis)] = "Unknown legal basis '{0}'.",
        [nameof(NotAFilingBasis)] = "'{0}' is not a legal basis a request may be filed under. Bases binding both states on {1}: {2}.",
        [nameof(BasisNotBinding)] = "{0} does not bind {1} on {2}: {1} is not a party to it then. Bases binding both states on {2}: {3}.",
        [nameof(TreatyRetired)] = "No longer taken: name the treaty by its code in legalBasis (GET /api/reference/legal-bases lists the bases binding two states).",
        [nameof(NotDesignated)] = "{0} is not an authority {1} designated under {2}; designated: {3}.",
        [nameof(UnknownAction)] = "Unknown action '{0}'. Actions: {1}.",
        [nameof(AuthorityCodeQuery)] = "An authority code, at most {0} characters.",
        [nameof(PersonQuery)] = "A name to search for: at most {0} characters, with at least one letter or digit.",
        [nameof(Duration)] = "An ISO 8601 duration from PT0S to P3660D, such as P7D or PT12H.",
        [nameof(NotBeforeFrom)] = "May not be before 'from'.",
        [nameof(RequestIdQuery)] = "A request id (a UUID such as 69134eeb-c09c-5cbd-935d-7f3459bf6fe2).",
        [nameof(StaffId)] = "A caller's staff id: from 1 to {0} characters, no control characters.",
        [nameof(DateOrInstant)] = "An ISO 8601 date (2026-12-01) or instant with its offset (2026-12-01T08:00:00Z).",
        [nameof(DayFormat)] = "A day as yyyy-MM-dd, e.g. 2026-12-08.",
        [nameof(YearRange)] = "A year from {0} to {1}.",
        [nameof(EventTypes)] = "None (all), or some of: {0}.",
        [nameof(JsonObjectRequired)] = "Required: a JSON object.",
        [nameof(StrongEntityTag)] = "Must be one strong entity tag, as given in ETag (e.g. \"3\").",
        [nameof(Malformed)] = "Malformed JSON, or a value of the wrong type or outside the allowed set.",
        [nameof(ErasureReason)] = "Required: the lawful order the erasure carries out, at most {0} characters, no control characters.",
        [nameof(WebhookUrl)] = "Required: an absolute http(s) address, at most {0} characters.",
        [nameof(HttpsOnly)] = "Must be https on this node.",
        [nameof(HttpOrHttps)] = "Must be http or https.",
        [nameof(WebhookNoCredentials)] = "No user name, password or fragment: the receiver checks the signature instead.",
        [nameof(WebhookPublicHost)] = "Must be a host with public addresses only: not loopback, private, link-local or otherwise internal, by address or by name (unless this node's settings trust it).",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every key, for the tests that hold the translations to the catalogue.</summary>
    public static IEnumerable<string> Keys => Texts.Keys;

    public static string English(string key) => Texts.TryGetValue(key, out var text) ? text : key;

    /// <summary>Fills <paramref name="template"/>'s placeholders (the tests hold every translation to its English placeholders).</summary>
    public static string Format(string template, ImmutableArray<string> arguments) =>
        string.Format(CultureInfo.InvariantCulture, template, [.. arguments.IsDefault ? [] : arguments.Cast<object>()]);

    private static FieldMessage Of(string key, params string[] arguments) => new(key, [.. arguments]);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static FieldMessage Required() => Of(nameof(Required));
    public static FieldMessage RequiredFor(string action) => Of(nameof(RequiredFor), action);
    public static FieldMessage AtMostCharacters(int max) => Of(nameof(AtMostCharacters), Number(max));
    public static FieldMessage NoControlCharacters() => Of(nameof(NoControlCharacters));
    public static FieldMessage AuthorityRequired() => Of(nameof(AuthorityRequired));
    public static FieldMessage AuthorityFormat() => Of(nameof(AuthorityFormat));
    public static FieldMessage UnknownAuthority(string code) => Of(nameof(UnknownAuthority), code);
    public static FieldMessage MustDifferFromRequesting() => Of(nameof(MustDifferFromRequesting));
    public static FieldMessage ForwardWithinState(string state, string requested, IEnumerable<string> codes) =>
        Of(nameof(ForwardWithinState), state, requested, string.Join(", ", codes));
    public static FieldMessage NowhereToForward(string state, string requested) => Of(nameof(NowhereToForward), state, requested);
    public static FieldMessage RequiredOneOf(IEnumerable<string> values) => Of(nameof(RequiredOneOf), string.Join(", ", values));
    public static FieldMessage OneOf(IEnumerable<string> values) => Of(nameof(OneOf), string.Join(", ", values));
    public static FieldMessage EachOneOf(IEnumerable<string> values) => Of(nameof(EachOneOf), string.Join(", ", values));
    public static FieldMessage AtLeastOneAssistanceType() => Of(nameof(AtLeastOneAssistanceType));
    public static FieldMessage AssistanceTypeOnce() => Of(nameof(AssistanceTypeOnce));
    public static FieldMessage NotInFuture() => Of(nameof(NotInFuture));
    public static FieldMessage AtMostDaysBack(int days) => Of(nameof(AtMostDaysBack), Number(days));
    public static FieldMessage NotBeforeReceipt(string receivedAt) => Of(nameof(NotBeforeReceipt), receivedAt);
    public static FieldMessage AfterFilingDay(string filingDay) => Of(nameof(AfterFilingDay), filingDay);
    public static FieldMessage AtMostPersons(int max) => Of(nameof(AtMostPersons), Number(max));
    public static FieldMessage PersonRequired() => Of(nameof(PersonRequired));
    public static FieldMessage AtMostRelated(int max) => Of(nameof(AtMostRelated), Number(max));
    public static FieldMessage ClockRequired() => Of(nameof(ClockRequired));
    public static FieldMessage NoOpenClock(string clock) => Of(nameof(NoOpenClock), clock);
    public static FieldMessage ClockNotExtendable(string clock) => Of(nameof(ClockNotExtendable), clock);
    public static FieldMessage ExtensionDays(int max) => Of(nameof(ExtensionDays), Number(max));
    public static FieldMessage ExtendedTooOften(string clock, int count) => Of(nameof(ExtendedTooOften), clock, Number(count));
    public static FieldMessage ExtensionTooLong(string clock, int days) => Of(nameof(ExtensionTooLong), clock, Number(days));
    public static FieldMessage ExtensionsTooLong(string clock, int total, int taken) =>
        Of(nameof(ExtensionsTooLong), clock, Number(total), Number(taken), Number(total - taken));
    public static FieldMessage EstimateRequired() => Of(nameof(EstimateRequired));
    public static FieldMessage RequestedByReasonsRequired(string citation) => Of(nameof(RequestedByReasonsRequired), citation);
    public static FieldMessage RequestedByReasonsWithoutDate() => Of(nameof(RequestedByReasonsWithoutDate));
    public static FieldMessage EstimateNotPast(string today) => Of(nameof(EstimateNotPast), today);
    public static FieldMessage NoDelayToReport(string action, IEnumerable<string> clocks) => Of(nameof(NoDelayToReport), action, string.Join(", ", clocks));
    public static FieldMessage ClosureDay(string from, string to) => Of(nameof(ClosureDay), from, to);
    public static FieldMessage UnknownRegion(string region, string known) => Of(nameof(UnknownRegion), region, known);
    public static FieldMessage ServedNowhere(string authority, string node) => Of(nameof(ServedNowhere), authority, node);
    public static FieldMessage NeitherPartyHere(string node) => Of(nameof(NeitherPartyHere), node);
    public static FieldMessage Range(int min, int max) => Of(nameof(Range), Number(min), Number(max));
    public static FieldMessage CharactersRange(int max) => Of(nameof(CharactersRange), Number(max));
    public static FieldMessage NotACursor() => Of(nameof(NotACursor));
    public static FieldMessage UnknownStatus(string value) => Of(nameof(UnknownStatus), value);
    public static FieldMessage UnknownLegalBasis(string value) => Of(nameof(UnknownLegalBasis), value);

    /// <summary><paramref name="valid"/>: the codes of the bases binding both states, or "-" when none does.</summary>
    public static FieldMessage NotAFilingBasis(string value, string day, string valid) => Of(nameof(NotAFilingBasis), value, day, valid);

    public static FieldMessage TreatyRetired() => Of(nameof(TreatyRetired));

    public static FieldMessage BasisNotBinding(string instrument, string state, string day, string valid) => Of(nameof(BasisNotBinding), instrument, state, day, valid);

    public static FieldMessage NotDesignated(string authority, string state, string instrument, string designated) => Of(nameof(NotDesignated), authority, state, instrument, designated);
    public static FieldMessage UnknownAction(string value, IEnumerable<string> actions) => Of(nameof(UnknownAction), value, string.Join(", ", actions));
    public static FieldMessage AuthorityCodeQuery(int max) => Of(nameof(AuthorityCodeQuery), Number(max));
    public static FieldMessage PersonQuery(int max) => Of(nameof(PersonQuery), Number(max));
    public static FieldMessage Duration() => Of(nameof(Duration));
    public static FieldMessage NotBeforeFrom() => Of(nameof(NotBeforeFrom));
    public static FieldMessage RequestIdQuery() => Of(nameof(RequestIdQuery));
    public static FieldMessage StaffId(int max) => Of(nameof(StaffId), Number(max));
    public static FieldMessage DateOrInstant() => Of(nameof(DateOrInstant));
    public static FieldMessage DayFormat() => Of(nameof(DayFormat));
    public static FieldMessage YearRange(int min, int max) => Of(nameof(YearRange), Number(min), Number(max));
    public static FieldMessage EventTypes(IEnumerable<string> types) => Of(nameof(EventTypes), string.Join(", ", types));
    public static FieldMessage JsonObjectRequired() => Of(nameof(JsonObjectRequired));
    public static FieldMessage StrongEntityTag() => Of(nameof(StrongEntityTag));
    public static FieldMessage Malformed() => Of(nameof(Malformed));
    public static FieldMessage ErasureReason(int max) => Of(nameof(ErasureReason), Number(max));
    public static FieldMessage WebhookUrl(int max) => Of(nameof(WebhookUrl), Number(max));
    public static FieldMessage HttpsOnly() => Of(nameof(HttpsOnly));
    public static FieldMessage HttpOrHttps() => Of(nameof(HttpOrHttps));
    public static FieldMessage WebhookNoCredentials() => Of(nameof(WebhookNoCredentials));
    public static FieldMessage WebhookPublicHost() => Of(nameof(WebhookPublicHost));
}
