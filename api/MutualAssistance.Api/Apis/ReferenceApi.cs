using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Apis;

/// <summary>
/// <c>/api/reference</c>: the values the contract accepts and the fields each action takes, from their owners (the
/// contract's enums through <see cref="WireNames"/>, <see cref="ActionFields"/>), so that a form offers what the API
/// accepts without restating it.
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
    };

    public static RouteGroupBuilder MapReferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reference").WithTags("Reference")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // Every route: a caller of an authority this node does not serve (ServedByThisNode), and the roles' refusals.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/", Get).WithName("GetReference")
            .WithSummary("The values the contract accepts (legal bases, assistance types, urgencies...) and the fields each action takes");
        return api;
    }

    public static Ok<ReferenceView> Get() => TypedResults.Ok(View);
}

/// <summary>The contract's accepted values, as wire names, and each action's fields.</summary>
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
}

/// <summary>An action's wire name and the fields it takes.</summary>
public sealed record ActionReference(string Action, ImmutableArray<ActionField> Fields);
