using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Authorities;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Escalations;
using MutualAssistance.Domain.Instruments;
using NodaTime;
using NodaTime.Text;

namespace MutualAssistance.Domain.ReferenceData;

/// <summary>
/// Reads the reference data folder: <c>authorities.json</c>, <c>instruments/*.json</c>, <c>policies.json</c> and
/// <c>calendars/&lt;STATE&gt;/&lt;YEAR&gt;.json</c>. Anything malformed stops the load with the file and what is wrong.
/// </summary>
public static class ReferenceDataFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { WireNames.Converter() },
    };

    public static ReferenceDataSet Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Reference data folder '{folder}' does not exist.");
        }

        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var authorityFiles = Read<List<AuthorityFile>>(Path.Combine(folder, "authorities.json"));
        var authorities = new AuthorityDirectory(authorityFiles.Select(ToAuthority));
        var instruments = InstrumentFiles.Load(Path.Combine(folder, "instruments"), authorities);
        var policiesFile = Read<PoliciesFile>(Path.Combine(folder, "policies.json"));
        var policies = ToPolicies(policiesFile, instruments, Path.Combine(folder, "policies.json"));
        var calendarFolder = Path.Combine(folder, "calendars");
        var years = Directory.Exists(calendarFolder)
            ? Directory.GetFiles(calendarFolder, "*.json", SearchOption.AllDirectories).Select(ReadCalendarYear).ToList()
            : [];
        var calendars = new CalendarBook(years.GroupBy(y => y.State).Select(g => new WorkingCalendar(g.Key, g)));

        foreach (var authority in authorities.All)
        {
            if (!calendars.Has(authority.State))
            {
                throw new InvalidDataException($"authorities.json: {authority.Code} is in state {authority.State}, which has no calendar under calendars/.");
            }
        }

        var fingerprints = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var state in years.Select(y => y.State).Distinct())
        {
            var stateFiles = Directory.GetFiles(Path.Combine(calendarFolder, state), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
            fingerprints[Fingerprint.Calendar(state)] = Digest(folder, [.. stateFiles]);
        }

        foreach (var authority in authorities.All)
        {
            var weekend = authority.Weekend is { } w ? $"{string.Join(',', w.Days)}:{w.From}:{w.Until}" : "-";
            // The region decides which regional closures close the authority; left out where none is known, so that
            // the fingerprints of authorities without a location stay as they were.
            var region = authority.Location?.Region is { } r ? $"|{r}" : string.Empty;
            fingerprints[Fingerprint.Authority(authority.Code)] = DigestOf($"{authority.State}|{authority.TimeZone.Id}|{weekend}{region}");
        }

        var policyDigests = (policiesFile.Policies ?? []).ToDictionary(p => p.Key!, p => DigestOf(JsonSerializer.Serialize(p.Clocks, Json)), StringComparer.Ordinal);
        foreach (var basis in instruments.All.SelectMany(i => i.Bases))
        {
            fingerprints[Fingerprint.Policy(basis.Code)] = policyDigests[basis.Policy];
        }

        return new ReferenceDataSet(authorities, calendars, policies, instruments, Digest(folder, files), fingerprints.ToImmutable());
    }

    private static string DigestOf(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];

    private static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"{path}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static Authority ToAuthority(AuthorityFile file) => new()
    {
        Code = file.Code ?? throw new InvalidDataException("authorities.json: an entry has no code."),
        State = file.State ?? throw new InvalidDataException($"authorities.json: {file.Code} has no state."),
        Name = file.Name ?? throw new InvalidDataException($"authorities.json: {file.Code} has no name."),
        TimeZone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(file.TimeZone ?? string.Empty)
            ?? throw new InvalidDataException($"authorities.json: {file.Code} has an unknown time zone '{file.TimeZone}'."),
        Kind = file.Kind ?? "other",
        Note = file.Note,
        Source = file.Source,
        Weekend = file.Weekend is not { } weekend ? null
            : new WeekendOverride(
                [.. (weekend.Days is { Count: > 0 } days ? days : throw new InvalidDataException($"authorities.json: {file.Code} has a weekend without days.")).Select(d => Enum.Parse<IsoDayOfWeek>(d, ignoreCase: true))],
                string.IsNullOrWhiteSpace(weekend.Source) ? throw new InvalidDataException($"authorities.json: {file.Code} has a weekend of its own without its source.") : weekend.Source,
                OptionalDate(weekend.From, $"authorities.json: {file.Code} weekend from"),
                OptionalDate(weekend.Until, $"authorities.json: {file.Code} weekend until")),
        Location = file.Location is not { } location ? null
            : string.IsNullOrWhiteSpace(location.Region) && string.IsNullOrWhiteSpace(location.City)
                ? throw new InvalidDataException($"authorities.json: {file.Code} has a location without region or city.")
                : new AuthorityLocation(Blank(location.Region), Blank(location.City)),
        Languages = [.. (file.Languages ?? []).Select(l => l is { Length: >= 2 and <= 3 } && l.All(char.IsAsciiLetterLower) ? l : throw new InvalidDataException($"authorities.json: {file.Code} has a language '{l}' that is not an ISO 639 code."))],
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static LocalDate? OptionalDate(string? text, string what)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw new InvalidDataException($"{what}: '{text}' is not a date (yyyy-MM-dd).");
    }

    private static CalendarYear ReadCalendarYear(string path)
    {
        var file = Read<CalendarFile>(path);
        var year = file.Year ?? throw new InvalidDataException($"{path}: no year.");
        ImmutableArray<CalendarDay> Days(List<DayFile>? days, string what) =>
        [
            .. (days ?? []).Select(d =>
            {
                var parsed = LocalDatePattern.Iso.Parse(d.Date ?? string.Empty);
                if (!parsed.Success || parsed.Value.Year != year)
                {
                    throw new InvalidDataException($"{path}: {what} date '{d.Date}' is not a date in {year}.");
                }

                return new CalendarDay(parsed.Value, d.Name ?? string.Empty, d.Estimated ?? false, string.IsNullOrWhiteSpace(d.Source) ? null : d.Source);
            }),
        ];

        // Every year says whether it is the state's published schedule or computed ahead of it (issue 24): a file
        // without a status is refused rather than guessed, and a provisional one says what it awaits.
        var status = file.Status switch
        {
            "official" => CalendarStatus.Official,
            "provisional" => CalendarStatus.Provisional,
            null => throw new InvalidDataException($"{path}: no status (\"official\", following the year's decree or notice named in source, or \"provisional\", computed from the law's rules)."),
            var other => throw new InvalidDataException($"{path}: status '{other}' is neither \"official\" nor \"provisional\"."),
        };
        if (status == CalendarStatus.Provisional && string.IsNullOrWhiteSpace(file.Pending))
        {
            throw new InvalidDataException($"{path}: a provisional year must say what it awaits (pending).");
        }

        var holidays = Days(file.Holidays, "holiday");
        if (status == CalendarStatus.Official && holidays.FirstOrDefault(h => h.Estimated) is { } estimated)
        {
            throw new InvalidDataException($"{path}: an official year has an estimated holiday ({LocalDatePattern.Iso.Format(estimated.Date)}); estimated dates make a year provisional.");
        }

        return new CalendarYear
        {
            State = file.State ?? throw new InvalidDataException($"{path}: no state."),
            Year = year,
            Weekend = [.. (file.Weekend ?? throw new InvalidDataException($"{path}: no weekend.")).Select(d => Enum.Parse<IsoDayOfWeek>(d, ignoreCase: true))],
            Holidays = holidays,
            WorkingDays = Days(file.WorkingDays, "working day"),
            Source = string.IsNullOrWhiteSpace(file.Source) ? throw new InvalidDataException($"{path}: every calendar year must name its source.") : file.Source,
            Status = status,
            Pending = status == CalendarStatus.Provisional ? file.Pending : null,
            Note = file.Note,
        };
    }

    private static PolicyTable ToPolicies(PoliciesFile file, InstrumentCatalogue instruments, string path)
    {
        // The policy file is the ladder's one source: no ladder written in code stands in for a missing one.
        var e = file.Escalation ?? throw new InvalidDataException($"{path}: no escalation ladder (escalation.warningPercents and escalation.steps).");
        var ladder = new EscalationLadder
        {
            WarningPercents = [.. (e.WarningPercents ?? throw new InvalidDataException($"{path}: the escalation ladder has no warningPercents.")).Order()],
            Steps = ToSteps(e.Steps is { Count: > 0 } steps ? steps : throw new InvalidDataException($"{path}: the escalation ladder has no steps.")),
            MailAtOnceFromLevel = e.MailAtOnceFromLevel is not { } atOnce
                ? throw new InvalidDataException($"{path}: the escalation ladder has no mailAtOnceFromLevel (the level from which mail goes at once, whatever the office hours).")
                : e.Steps.Any(s => s.Level == atOnce) ? atOnce
                : throw new InvalidDataException($"{path}: escalation.mailAtOnceFromLevel {atOnce} is not a level of the ladder's steps."),
        };

        // A policy is named by the one basis it serves (legalBasis) or by a name several bases of the catalogue give as
        // their "policy" (policy). Every basis of the catalogue has its clocks; no policy serves nothing.
        var byPolicy = new Dictionary<string, ImmutableArray<ClockRule>>(StringComparer.Ordinal);
        foreach (var policy in file.Policies ?? [])
        {
            var key = policy.Key ?? throw new InvalidDataException($"{path}: a policy names neither its legalBasis nor its policy.");
            var policyLadder = Override(ladder, ladder, policy.Escalation, $"{path}: {key}");
            ImmutableArray<ClockRule> clocks = [.. (policy.Clocks ?? []).Select(c =>
            {
                var rule = ToRule(c, key, path);
                var own = Override(ladder, policyLadder, c.Escalation, $"{path}: {key}/{WireNames.Of(rule.Kind)}");
                return rule with { Ladder = ReferenceEquals(own, ladder) ? null : own }; // null: the default ladder
            })];
            if (!byPolicy.TryAdd(key, clocks))
            {
                throw new InvalidDataException($"{path}: policy '{key}' is given twice.");
            }
        }

        var rules = new Dictionary<string, ImmutableArray<ClockRule>>(StringComparer.Ordinal);
        foreach (var (instrument, basis) in instruments.All.SelectMany(i => i.Bases.Select(b => (i, b))))
        {
            rules[basis.Code] = byPolicy.TryGetValue(basis.Policy, out var found)
                ? found
                : throw new InvalidDataException($"{path}: no policy '{basis.Policy}' for basis '{basis.Code}' of instruments/{instrument.Code}.json.");
        }

        var unused = byPolicy.Keys.Except(instruments.All.SelectMany(i => i.Bases).Select(b => b.Policy)).FirstOrDefault();
        if (unused is not null)
        {
            throw new InvalidDataException($"{path}: policy '{unused}' serves no basis of the instrument catalogue.");
        }

        return new PolicyTable(rules, ladder);
    }

    private static ImmutableArray<EscalationStep> ToSteps(List<StepFile> steps) =>
        [.. steps.OrderBy(s => s.Level).Select(s => new EscalationStep
        {
            Level = s.Level, DaysAfterBreach = s.DaysAfterBreach, Addressee = s.Addressee ?? $"level {s.Level}", Duty = s.Duty, NotWhenDueAtStart = s.NotWhenDueAtStart,
        })];

    /// <summary>
    /// A policy's or a clock rule's own ladder: what it sets (steps, warning percentages) over <paramref name="parent"/>;
    /// <c>{"default": true}</c> goes back to the file's default ladder. When the mail goes stays the default ladder's.
    /// </summary>
    private static EscalationLadder Override(EscalationLadder defaults, EscalationLadder parent, EscalationFile? own, string where)
    {
        if (own is null)
        {
            return parent;
        }

        if (own.MailAtOnceFromLevel is not null)
        {
            throw new InvalidDataException($"{where}: mailAtOnceFromLevel is set once, in the default escalation ladder.");
        }

        if (own.Default == true)
        {
            return own.Steps is null && own.WarningPercents is null ? defaults : throw new InvalidDataException($"{where}: an escalation that is the default sets nothing else.");
        }

        return parent with
        {
            WarningPercents = own.WarningPercents is { } percents ? [.. percents.Order()] : parent.WarningPercents,
            Steps = own.Steps is { Count: > 0 } steps ? ToSteps(steps) : own.Steps is null ? parent.Steps : throw new InvalidDataException($"{where}: an escalation ladder with no steps."),
        };
    }

    private static ClockRule ToRule(ClockFile c, string basis, string path)
    {
        var kind = c.Kind ?? throw new InvalidDataException($"{path}: a {basis} clock has no kind.");
        var startOn = c.StartOn ?? [];
        return new ClockRule
        {
            Kind = kind,
            Side = c.Side ?? throw new InvalidDataException($"{path}: {basis}/{kind} has no side."),
            StartsOnFiling = startOn.Contains("filed", StringComparer.Ordinal),
            StartOn = [.. startOn.Where(s => s != "filed").Select(s => ParseAction(s, path))],
            RestartOn = [.. (c.RestartOn ?? []).Select(s => ParseAction(s, path))],
            StopOn = [.. (c.StopOn ?? []).Select(s => ParseAction(s, path))],
            PauseWhile = [.. c.PauseWhile ?? []],
            Period = c.Period?.ToPeriod() ?? throw new InvalidDataException($"{path}: {basis}/{kind} has no period."),
            UrgentPeriod = c.UrgentPeriod?.ToPeriod(),
            RequestedBy = c.RequestedBy ?? RequestedByRule.Ignored,
            Extension = c.Extension is { } x ? new ExtensionRule { MaxCount = x.MaxCount, MaxDaysEach = x.MaxDaysEach, MaxDaysTotal = x.MaxDaysTotal, EstimateRequired = x.EstimateRequired } : null,
            OnlyFor = [.. c.OnlyFor ?? []],
            Source = c.Source ?? throw new InvalidDataException($"{path}: {basis}/{kind} must name its source."),
            Nature = c.Nature ?? throw new InvalidDataException($"{path}: {basis}/{kind} must say its nature: statutory (the instrument's period) or target (with setBy)."),
            SetBy = c.Nature == ClockNature.Target
                ? (string.IsNullOrWhiteSpace(c.SetBy) ? throw new InvalidDataException($"{path}: {basis}/{kind} is a target: setBy must say who set it and why.") : c.SetBy)
                : c.SetBy is null ? null : throw new InvalidDataException($"{path}: {basis}/{kind} is statutory: setBy is for targets."),
        };
    }

    private static RequestAction ParseAction(string name, string path) =>
        JsonSerializer.Deserialize<RequestAction>($"\"{name}\"", Json) is var action && Enum.IsDefined(action)
            ? action
            : throw new InvalidDataException($"{path}: unknown action '{name}'.");

    private static string Digest(string folder, string[] files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private sealed record AuthorityFile(string? Code, string? State, string? Name, string? TimeZone, string? Kind, string? Note, string? Source, WeekendFile? Weekend, LocationFile? Location, List<string>? Languages);

    private sealed record LocationFile(string? Region, string? City);

    private sealed record WeekendFile(List<string>? Days, string? Source, string? From, string? Until);

    private sealed record DayFile(string? Date, string? Name, bool? Estimated, string? Source);

    private sealed record CalendarFile(string? State, int? Year, List<string>? Weekend, List<DayFile>? Holidays, List<DayFile>? WorkingDays, string? Source, string? Status, string? Pending, string? Note);

    private sealed record PoliciesFile(EscalationFile? Escalation, List<PolicyFile>? Policies);

    private sealed record EscalationFile(List<int>? WarningPercents, List<StepFile>? Steps, int? MailAtOnceFromLevel, bool? Default);

    private sealed record StepFile(int Level, int DaysAfterBreach, string? Addressee, string? Duty, bool NotWhenDueAtStart);

    private sealed record PolicyFile(string? LegalBasis, string? Policy, List<ClockFile>? Clocks, EscalationFile? Escalation)
    {
        public string? Key => Policy ?? LegalBasis;
    }

    private sealed record PeriodFile(int Amount, PeriodUnit Unit)
    {
        public DeadlinePeriod ToPeriod() => new(Amount, Unit);
    }

    private sealed record ExtensionFile(int? MaxCount, int? MaxDaysEach, int? MaxDaysTotal, bool EstimateRequired);

    private sealed record ClockFile(
        ClockKind? Kind, Side? Side, List<string>? StartOn, List<string>? RestartOn, List<string>? StopOn, List<RequestStatus>? PauseWhile,
        PeriodFile? Period, PeriodFile? UrgentPeriod, RequestedByRule? RequestedBy, ExtensionFile? Extension, List<AssistanceType>? OnlyFor, string? Source,
        EscalationFile? Escalation, ClockNature? Nature, string? SetBy);
}
