using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

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
        LegalBases = [.. WireNames.All<LegalBasis>()],
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
            Treaty = FieldLimits.ShortText,
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
        return api;
    }

    public static Ok<ReferenceView> Get() => TypedResults.Ok(View);
}

/// <summary>The contract's accepted values, as wire names, each action's fields and the fields' limits.</summary>
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
    public required int Treaty { get; init; }
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
