using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using MutualAssistance.Api.Localization;

namespace MutualAssistance.Api.Security;

/// <summary>
/// Answers a caller refused by <see cref="ServedByThisNode"/> with 403 and a problem that names this node and the
/// caller's own (<c>node</c>, <c>servingNode</c>) and says to use it; every other authorization result as ASP.NET
/// Core does.
/// </summary>
public sealed class NodeRefusal(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    /// <summary>Problem type (RFC 9457 <c>type</c>) of a call made to a node that does not serve the caller's authority.</summary>
    public const string Type = "tag:mutual-assistance,2026:problems/not-served-here";

    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden
            || authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ServedByThisNode.NotServedHere>().FirstOrDefault() is not { } refused)
        {
            await standard.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var serving = refused.Serving;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Type = Type,
                Title = ProblemText.NotServedHere,
                Detail = serving.ServingNode is { } own
                    ? ProblemLanguage.Format(ProblemText.NotServedHereUseNode, serving.NodeId, refused.Authority, own)
                    : ProblemLanguage.Format(ProblemText.NotServedHereUseOwn, serving.NodeId, refused.Authority),
                Extensions = { ["node"] = serving.NodeId, ["servingNode"] = serving.ServingNode },
            },
        });
    }
}
