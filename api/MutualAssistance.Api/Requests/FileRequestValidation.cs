using System.Text.RegularExpressions;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>
/// Checks a filing body field by field and turns it into the grain's command. Every error names its field
/// (JSON path, camelCase) so that the problem details say exactly what to fix.
/// </summary>
public static partial class FileRequestValidation
{
    public const int MaxSubject = 500;
    public const int MaxSummary = 20_000;
    public const int MaxShortText = 200;
    public const int MaxPersons = 200;
    public const int MaxRelated = 100;

    public static bool TryValidate(FileRequestBody body, DateTimeOffset now, out FileRequest? request, out Dictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(message);
        }

        var requesting = AuthorityCode(body.RequestingAuthority, "requestingAuthority", Fail);
        var requested = AuthorityCode(body.RequestedAuthority, "requestedAuthority", Fail);
        if (requesting is not null && requesting == requested)
        {
            Fail("requestedAuthority", "Must differ from requestingAuthority.");
        }

        if (body.LegalBasis is null)
        {
            Fail("legalBasis", "Required: one of eio, treaty, cets224-subscriber, cets224-traffic.");
        }

        Text(body.Treaty, "treaty", MaxShortText, required: false, Fail);
        if (body.AssistanceTypes is not { Length: > 0 } types)
        {
            Fail("assistanceTypes", "Required: at least one type of assistance.");
        }
        else if (types.Distinct().Count() != types.Length)
        {
            Fail("assistanceTypes", "Each type of assistance may appear once.");
        }

        if (body.ReceivedAt is { } receivedAt)
        {
            if (receivedAt > now)
            {
                Fail("receivedAt", "May not lie in the future.");
            }
            else if (receivedAt < now - TimeSpan.FromDays(366))
            {
                Fail("receivedAt", "May lie at most one year back.");
            }
        }

        Text(body.Subject, "subject", MaxSubject, required: true, Fail);
        Text(body.SummaryOfFacts, "summaryOfFacts", MaxSummary, required: true, Fail);
        Text(body.RequestingReference, "requestingReference", MaxShortText, required: false, Fail);
        Text(body.Language, "language", 35, required: false, Fail);

        var persons = body.PersonsConcerned ?? [];
        if (persons.Length > MaxPersons)
        {
            Fail("personsConcerned", $"At most {MaxPersons} persons.");
        }
        else
        {
            for (var i = 0; i < persons.Length; i++)
            {
                if (persons[i] is null)
                {
                    Fail($"personsConcerned[{i}]", "Required: an object with name and role.");
                    continue;
                }

                Text(persons[i].Name, $"personsConcerned[{i}].name", MaxShortText, required: true, Fail);
                Text(persons[i].Role, $"personsConcerned[{i}].role", MaxShortText, required: true, Fail);
                Text(persons[i].Nationality, $"personsConcerned[{i}].nationality", MaxShortText, required: false, Fail);
            }
        }

        if (body.RelatedRequestIds is { Length: > MaxRelated })
        {
            Fail("relatedRequestIds", $"At most {MaxRelated} related requests.");
        }

        errors = problems.ToDictionary(p => p.Key, p => p.Value.ToArray());
        if (errors.Count > 0)
        {
            request = null;
            return false;
        }

        request = new FileRequest
        {
            RequestingAuthority = requesting!,
            RequestedAuthority = requested!,
            LegalBasis = body.LegalBasis!.Value,
            Treaty = body.Treaty,
            AssistanceTypes = body.AssistanceTypes!.Value,
            Urgency = body.Urgency ?? Urgency.Normal,
            RequestedBy = body.RequestedBy,
            ReceivedAt = body.ReceivedAt?.ToUniversalTime(),
            Subject = body.Subject!,
            SummaryOfFacts = body.SummaryOfFacts!,
            PersonsConcerned = [.. persons.Select(p => new PersonConcerned { Name = p.Name!, Nationality = p.Nationality, Role = p.Role! })],
            RequestingReference = body.RequestingReference,
            Confidential = body.Confidential ?? false,
            RelatedRequestIds = body.RelatedRequestIds ?? [],
            Language = body.Language,
        };
        return true;
    }

    private static string? AuthorityCode(string? value, string field, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            fail(field, "Required: an authority code such as CN-MOJ.");
            return null;
        }

        if (!AuthorityCodePattern().IsMatch(value))
        {
            fail(field, "Must be an authority code: two capital letters (the state), a hyphen, then capitals, digits or hyphens (e.g. CN-MOJ).");
            return null;
        }

        return value;
    }

    private static void Text(string? value, string field, int max, bool required, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                fail(field, "Required.");
            }

            return;
        }

        if (value.Length > max)
        {
            fail(field, $"At most {max} characters.");
        }

        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            fail(field, "May not contain control characters.");
        }
    }

    [GeneratedRegex("^[A-Z]{2}-[A-Z0-9][A-Z0-9-]{0,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorityCodePattern();
}
