using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Contracts.Instruments;
using MutualAssistance.Api.Localization;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>/api/reference</c>: the values the contract accepts and the fields each action takes, from their owners (the
/// contract's enums through <see cref="WireNames"/>, <see cref="ActionFields"/>, <see cref="FieldLimits"/>), so that a
/// form offers what the API accepts, and caps its fields where the API does, without restating it.
/// </summary>
public static class ReferenceApi
{
    private static readonly ReferenceView View = new()
    {
        LegalBases = [],
        AssistanceTypes = [.. WireNames.All<AssistanceType>()],
        Urgencies = [.. WireNames.All<Urgency>()],
        Statuses = [.. WireNames.All<RequestStatus>()],
        ClockKinds = [.. WireNames.All<ClockKind>()],
        ClockStates = [.. WireNames.All<ClockState>()],
        Roles = [.. WireNames.All<Role>()],
        Actions = [.. Enum.GetValues<RequestAction>().Select(action => new ActionReference(WireNames.Of(action), ActionFields.Of(action)))],
        Limits = new()
        {
            Subject = FieldLimits.Subject,
            SummaryOfFacts = FieldLimits.Summary,
            RequestingReference = FieldLimits.ShortText,
            Language = FieldLimits.Language,
            PersonName = FieldLimits.ShortText,
            PersonRole = FieldLimits.ShortText,
            PersonNationality = FieldLimits.ShortText,
            PersonsConcerned = FieldLimits.Persons,
            RelatedRequestIds = FieldLimits.Related,
            ActionText = FieldLimits.ActionText,
            ServedOn = FieldLimits.ShortText,
            ExtensionDays = FieldLimits.ExtensionDays,
        },
    };

    public static RouteGroupBuilder MapReferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reference").WithTags("Reference")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", Get).WithName("GetReference")
            .WithSummary("The values the contract accepts (legal bases, assistance types, urgencies...), the fields each action takes and the limits of the fields");
        api.MapGet("/instruments", GetInstruments).WithName("GetInstruments")
            .WithSummary("The instrument catalogue: each instrument's parties and their dates, designated authorities, channel, languages, required content and legal bases, every line with its source");
        api.MapGet("/legal-bases", GetLegalBases).WithName("GetLegalBases")
            .WithSummary("The legal bases a request from one authority to another may be filed under on a day (both states bound), with the authorities the requested state designated under each")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Ok<ReferenceView>> Get(IClusterClient cluster)
    {
        return TypedResults.Ok(View with { LegalBases = await cluster.GetGrain<IReferenceDataGrain>(0).GetFilingBases() });
    }

    public static async Task<Ok<ImmutableArray<InstrumentView>>> GetInstruments(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IReferenceDataGrain>(0).GetInstruments());

    /// <summary>The bases binding the two authorities' states on <paramref name="on"/> (today, UTC, when left out).</summary>
    public static async Task<Results<Ok<ImmutableArray<BindingBasisView>>, ValidationProblem>> GetLegalBases(
        IClusterClient cluster, TimeProvider time, string? requestingAuthority = null, string? requestedAuthority = null, DateOnly? on = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(requestingAuthority))
        {
            errors["requestingAuthority"] = FieldText.Words(FieldMessages.AuthorityRequired());
        }

        if (string.IsNullOrWhiteSpace(requestedAuthority))
        {
            errors["requestedAuthority"] = FieldText.Words(FieldMessages.AuthorityRequired());
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var day = on ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var bases = await cluster.GetGrain<IReferenceDataGrain>(0).GetBindingBases(requestingAuthority!, requestedAuthority!, day);
        if (bases is null)
        {
            var authorities = await cluster.GetGrain<IReferenceDataGrain>(0).GetAuthorities();
            foreach (var (field, code) in new[] { ("requestingAuthority", requestingAuthority!), ("requestedAuthority", requestedAuthority!) })
            {
                if (authorities.All(a => a.Code != code))
                {
                    errors[field] = FieldText.Words(FieldMessages.UnknownAuthority(code));
                }
            }

            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(bases.Value);
    }
}

/// <summary>The contract's accepted values, as wire names (the legal bases: the codes of the instrument catalogue a filing may name), each action's fields and the fields' limits.</summary>
public sealed record ReferenceView
{
    public required ImmutableArray<string> LegalBases { get; init; }
    public required ImmutableArray<string> AssistanceTypes { get; init; }
    public required ImmutableArray<string> Urgencies { get; init; }
    public required ImmutableArray<string> Statuses { get; init; }
    public required ImmutableArray<string> ClockKinds { get; init; }
    public required ImmutableArray<string> ClockStates { get; init; }
    public required ImmutableArray<string> Roles { get; init; }
    public required ImmutableArray<ActionReference> Actions { get; init; }
    public required LimitsReference Limits { get; init; }
}

/// <summary>
/// The most each field takes, as the API checks it (<see cref="FieldLimits"/>): characters for text, entries for
/// <see cref="PersonsConcerned"/> and <see cref="RelatedRequestIds"/>, days for <see cref="ExtensionDays"/>. One
/// figure per field the page caps, so that it never maps a field to a rule of its own.
/// </summary>
public sealed record LimitsReference
{
    public required int Subject { get; init; }
    public required int SummaryOfFacts { get; init; }
    public required int RequestingReference { get; init; }
    public required int Language { get; init; }
    public required int PersonName { get; init; }
    public required int PersonRole { get; init; }
    public required int PersonNationality { get; init; }
    public required int PersonsConcerned { get; init; }
    public required int RelatedRequestIds { get; init; }

    /// <summary>An action's reason, grounds, note, requested reference or authority forwarded to.</summary>
    public required int ActionText { get; init; }

    public required int ServedOn { get; init; }

    /// <summary>The most days one extension asks for (the policy of the clock may allow fewer).</summary>
    public required int ExtensionDays { get; init; }
}

/// <summary>An action's wire name and the fields it takes.</summary>
public sealed record ActionReference(string Action, ImmutableArray<ActionField> Fields);
