using System.Collections.Frozen;
using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// The fields each action takes, and which of them it requires: the one owner of that rule. The request's own
/// validation asks it, and the API serves it (<c>GET /api/reference</c>) so that a form shows what an action needs
/// without restating it. Names are the wire names of the action body. A policy may require more for a given clock
/// (an extension's estimate under some bases); that is still decided by the request and named in its 422.
/// </summary>
public static class ActionFields
{
    public const string Reason = "reason";
    public const string Grounds = "grounds";
    public const string Estimate = "estimate";
    public const string Clock = "clock";
    public const string Days = "days";
    public const string RequestedReference = "requestedReference";
    public const string ForwardedTo = "forwardedTo";
    public const string Note = "note";
    public const string ServedOn = "servedOn";
    public const string ServedAt = "servedAt";

    private static readonly FrozenDictionary<RequestAction, ImmutableArray<ActionField>> ByAction = Enum.GetValues<RequestAction>()
        .ToFrozenDictionary(action => action, Build);

    /// <summary>The fields of <paramref name="action"/>, required ones first, in the order a form asks for them.</summary>
    public static ImmutableArray<ActionField> Of(RequestAction action) => ByAction[action];

    public static bool Requires(RequestAction action, string field) => Of(action).Any(f => f.Name == field && f.Required);

    private static ImmutableArray<ActionField> Build(RequestAction action)
    {
        var fields = ImmutableArray.CreateBuilder<ActionField>();
        switch (action)
        {
            case RequestAction.Extend:
                fields.Add(new(Clock, true));
                fields.Add(new(Days, true));
                fields.Add(new(Reason, true));
                fields.Add(new(Estimate, false));
                break;
            case RequestAction.InformDelay:
                fields.Add(new(Clock, true));
                fields.Add(new(Reason, true));
                fields.Add(new(Estimate, true));
                break;
            case RequestAction.Refuse:
                fields.Add(new(Grounds, true));
                break;
            case RequestAction.ReportProgress or RequestAction.Consult:
                // The answer on progress (UNTOC art. 18(24)); what was proposed to the requesting side (art. 18(26)).
                fields.Add(new(Note, true));
                break;
            case RequestAction.Forward:
                fields.Add(new(ForwardedTo, true));
                break;
            case RequestAction.ServeOrder:
                fields.Add(new(ServedOn, true));
                fields.Add(new(ServedAt, false));
                break;
            case RequestAction.RequestInformation or RequestAction.Postpone or RequestAction.ReturnUnexecuted:
                fields.Add(new(Reason, true));
                break;
        }

        if (!fields.Any(f => f.Name == Reason) && action is not RequestAction.Refuse)
        {
            fields.Add(new(Reason, false));
        }

        if (action == RequestAction.Acknowledge)
        {
            fields.Add(new(RequestedReference, false));
        }

        if (!fields.Any(f => f.Name == Note))
        {
            fields.Add(new(Note, false));
        }

        return fields.ToImmutable();
    }
}

/// <summary>One field an action takes (its wire name) and whether the action requires it.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ActionField")]
public sealed record ActionField([property: Id(0)] string Name, [property: Id(1)] bool Required);
