using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using MutualAssistance.Domain.Authorities;
using MutualAssistance.Domain.Instruments;
using NodaTime;
using NodaTime.Text;

namespace MutualAssistance.Domain.ReferenceData;

/// <summary>
/// Reads <c>instruments/&lt;code&gt;.json</c>, one instrument per file (the format: <c>instruments/SCHEMA.md</c>).
/// Anything malformed or inconsistent stops the load with the file and what is wrong: a basis code used twice, a
/// party bound before the instrument was in force, a designation of an authority the directory lacks or of another
/// state's authority, a line without its source.
/// </summary>
public static partial class InstrumentFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static InstrumentCatalogue Load(string folder, AuthorityDirectory authorities)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidDataException($"No instrument catalogue: the folder '{folder}' does not exist.");
        }

        var instruments = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(path => Read(path, authorities)).ToList();
        var duplicate = instruments.SelectMany(i => i.Bases.Select(b => (b.Code, i.Code))).GroupBy(p => p.Item1).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"instruments: basis '{duplicate.Key}' is declared by {string.Join(" and ", duplicate.Select(d => d.Item2))}.");
        }

        return new InstrumentCatalogue(instruments);
    }

    private static Instrument Read(string path, AuthorityDirectory authorities)
    {
        var name = "instruments/" + Path.GetFileName(path);
        InstrumentFile file;
        try
        {
            file = JsonSerializer.Deserialize<InstrumentFile>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{name}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: {e.Message}", e);
        }

        string Required(string? value, string field) =>
            string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"{name}: '{field}' is required.") : value;

        var code = Required(file.Code, "code");
        if (!CodePattern().IsMatch(code) || code != Path.GetFileNameWithoutExtension(path))
        {
            throw new InvalidDataException($"{name}: code '{code}' must be lower-case letters, digits and hyphens, and name the file.");
        }

        var entryIntoForce = Date(file.EntryIntoForce, name, "entryIntoForce");
        var parties = (file.Parties ?? []).Select((p, i) =>
        {
            var field = $"parties[{i}]";
            var since = Date(p.Since, name, field + ".since") ?? throw new InvalidDataException($"{name}: '{field}.since' is required.");
            var until = Date(p.Until, name, field + ".until");
            if (until is { } u && u <= since)
            {
                throw new InvalidDataException($"{name}: {field} is bound until {u}, not after {since}.");
            }

            if (entryIntoForce is not { } inForce || since < inForce)
            {
                throw new InvalidDataException($"{name}: {field} ({p.State}) is bound from {since}, before the instrument entered into force ({entryIntoForce?.ToString() ?? "never"}).");
            }

            return new InstrumentParty(State(p.State, name, field), since, until, [.. p.Languages ?? []], p.Declarations, Source(p.Source, name, field));
        }).ToImmutableArray();
        var twice = parties.GroupBy(p => p.State).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidDataException($"{name}: {twice.Key} is listed as a party twice.");
        }

        var designations = (file.Designations ?? []).Select((d, i) =>
        {
            var field = $"designations[{i}]";
            var state = State(d.State, name, field);
            foreach (var authority in d.Authorities ?? [])
            {
                if (authorities.Find(authority) is not { } found || found.State != state)
                {
                    throw new InvalidDataException($"{name}: {field} designates '{authority}', which is not an authority of {state} in authorities.json.");
                }
            }

            return new Designation(state, [.. d.Authorities ?? []], Required(d.Article, field + ".article"), Source(d.Source, name, field));
        }).ToImmutableArray();

        var bases = (file.Bases ?? []).Select((b, i) =>
        {
            var basis = Required(b.Code, $"bases[{i}].code");
            if (!CodePattern().IsMatch(basis))
            {
                throw new InvalidDataException($"{name}: basis code '{basis}' must be lower-case letters, digits and hyphens.");
            }

            return new InstrumentBasis(basis, Required(b.Title, $"bases[{i}].title"), Required(b.Article, $"bases[{i}].article"), b.Policy ?? basis);
        }).ToImmutableArray();
        if (bases.IsEmpty)
        {
            throw new InvalidDataException($"{name}: an instrument names at least one basis a filing may rest on.");
        }

        var obligations = (file.Duties ?? []).Select((d, i) =>
        {
            var field = $"duties[{i}]";
            var duty = Required(d.Duty, field + ".duty") switch
            {
                "answer-progress-requests" => InstrumentDuty.AnswerProgressRequests,
                "consult-before-refusal" => InstrumentDuty.ConsultBeforeRefusal,
                "deadline-with-reasons" => InstrumentDuty.DeadlineWithReasons,
                var other => throw new InvalidDataException($"{name}: {field}.duty '{other}' is not one of answer-progress-requests, consult-before-refusal, deadline-with-reasons."),
            };
            return new InstrumentObligation(duty, Required(d.Article, field + ".article"), Required(d.Source, field + ".source"));
        }).ToImmutableArray();
        var dutyTwice = obligations.GroupBy(o => o.Duty).FirstOrDefault(g => g.Count() > 1);
        if (dutyTwice is not null)
        {
            throw new InvalidDataException($"{name}: the duty {MutualAssistance.Contracts.WireNames.Of(dutyTwice.Key)} is listed twice.");
        }

        return new Instrument
        {
            Code = code,
            Title = Required(file.Title, "title"),
            ShortTitle = Required(file.ShortTitle, "shortTitle"),
            Kind = file.Kind switch
            {
                "multilateral" => InstrumentKind.Multilateral,
                "regional" => InstrumentKind.Regional,
                "bilateral" => InstrumentKind.Bilateral,
                "eu-law" => InstrumentKind.EuLaw,
                _ => throw new InvalidDataException($"{name}: kind '{file.Kind}' is not one of multilateral, regional, bilateral, eu-law."),
            },
            Adopted = Date(file.Adopted, name, "adopted"),
            EntryIntoForce = entryIntoForce,
            Source = Source(file.Source, name, "source"),
            Channel = Required(file.Channel?.Kind, "channel.kind"),
            ChannelSource = Required(file.Channel?.Source, "channel.source"),
            LanguageRule = Required(file.Languages?.Rule, "languages.rule"),
            LanguageSource = Required(file.Languages?.Source, "languages.source"),
            ContentRequired = [.. (file.ContentRequired ?? []).Select((c, i) => new RequiredContent(Required(c.Item, $"contentRequired[{i}].item"), Required(c.Source, $"contentRequired[{i}].source")))],
            Bases = bases,
            Parties = parties,
            Signatories = [.. (file.Signatories ?? []).Select((s, i) => new Signature(State(s.State, name, $"signatories[{i}]"), Date(s.Signed, name, $"signatories[{i}].signed"), Source(s.Source, name, $"signatories[{i}]")))],
            Designations = designations,
            Note = file.Note,
            LegacyOnly = file.LegacyOnly ?? false,
            Obligations = obligations,
        };
    }

    private static string State(string? state, string name, string field) =>
        state is { Length: 2 } && state.All(char.IsAsciiLetterUpper) ? state : throw new InvalidDataException($"{name}: {field}.state '{state}' is not a two-letter state code.");

    private static LocalDate? Date(string? value, string name, string field)
    {
        if (value is null)
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(value);
        return parsed.Success ? parsed.Value : throw new InvalidDataException($"{name}: '{field}' is '{value}', not a yyyy-MM-dd date.");
    }

    private static SourceReference Source(SourceFile? source, string name, string field)
    {
        if (source is null || string.IsNullOrWhiteSpace(source.Citation))
        {
            throw new InvalidDataException($"{name}: {field} must cite its source (source.citation).");
        }

        var confidence = source.Confidence switch
        {
            "checked" => SourceConfidence.Checked,
            "lead" => SourceConfidence.Lead,
            _ => throw new InvalidDataException($"{name}: {field}.source.confidence '{source.Confidence}' is not 'checked' or 'lead'."),
        };
        var checkedOn = Date(source.Checked, name, field + ".source.checked");
        if (confidence == SourceConfidence.Checked && checkedOn is null)
        {
            throw new InvalidDataException($"{name}: {field} is marked checked without the day it was checked.");
        }

        return new SourceReference(source.Citation, source.Url, checkedOn, confidence);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    private sealed record InstrumentFile(
        string? Code, string? Title, string? ShortTitle, string? Kind, string? Adopted, string? EntryIntoForce, SourceFile? Source,
        RuleFile? Channel, RuleFile? Languages, List<ContentFile>? ContentRequired, List<BasisFile>? Bases, List<PartyFile>? Parties,
        List<SignatoryFile>? Signatories, List<DesignationFile>? Designations, string? Note, bool? LegacyOnly, List<DutyFile>? Duties);

    private sealed record DutyFile(string? Duty, string? Article, string? Source);

    private sealed record SourceFile(string? Citation, string? Url, string? Checked, string? Confidence);

    private sealed record RuleFile(string? Kind, string? Rule, string? Source);

    private sealed record ContentFile(string? Item, string? Source);

    private sealed record BasisFile(string? Code, string? Title, string? Article, string? Policy);

    private sealed record PartyFile(string? State, string? Since, string? Until, List<string>? Languages, string? Declarations, SourceFile? Source);

    private sealed record SignatoryFile(string? State, string? Signed, SourceFile? Source);

    private sealed record DesignationFile(string? State, List<string>? Authorities, string? Article, SourceFile? Source);
}
