using MutualAssistance.Contracts;
using MutualAssistance.Domain.Authorities;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// Where a request may be forwarded: the one owner of that rule. A forward passes the request on inside the
/// requested state, from the authority that received it to the one competent to execute it, so the target is
/// another authority of the requested authority's state, named by its code in the directory:
/// Directive 2014/41/EU art. 7(6) ("Where the authority of the executing State which receives the EIO has no
/// competence to recognise it or to take the necessary measures for its execution, it shall, ex officio,
/// transmit the EIO to the executing authority"), and for treaty requests UNTOC art. 18(13) (the central
/// authority "shall ... transmit them to the competent authorities for execution"). Free text would let a
/// request be "forwarded" abroad (issue 24: to KZ-GP, the requesting authority) or to a body no one can find.
/// </summary>
public static class Forwarding
{
    /// <summary>The authorities a request received by <paramref name="requested"/> may be forwarded to, by code.</summary>
    public static IReadOnlyList<string> Targets(string requested, AuthorityDirectory directory)
    {
        var state = directory.Find(requested)?.State;
        return [.. directory.All.Where(a => a.State == state && a.Code != requested).Select(a => a.Code)];
    }

    /// <summary>Null when <paramref name="code"/> is a valid target; otherwise the message for <c>forwardedTo</c>.</summary>
    public static FieldMessage? Check(string code, string requested, AuthorityDirectory directory)
    {
        var targets = Targets(requested, directory);
        if (targets.Contains(code, StringComparer.Ordinal))
        {
            return null;
        }

        var state = directory.Find(requested)?.State ?? requested;
        return targets.Count == 0
            ? FieldMessages.NowhereToForward(state, requested)
            : FieldMessages.ForwardWithinState(state, requested, targets);
    }
}
