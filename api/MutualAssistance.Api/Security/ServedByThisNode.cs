using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using MutualAssistance.Contracts.Federation;

namespace MutualAssistance.Api.Security;

/// <summary>
/// What every API route requires beside a caller (the fallback policy, <see cref="AuthenticationSetup"/>): a node
/// serves only callers of the authorities it serves (<c>Node:Authorities</c>; with "*", every authority no peer
/// serves: the one-node shape serves everyone). A caller of another node's authority is refused 403 before any
/// endpoint runs, so nothing is read or written for it here (<see cref="NodeRefusal"/> writes the problem). Which node
/// serves whom is the silo's to say (<see cref="INodeGrain"/>); the answer per authority is kept for the process's
/// life, as the node's settings are (a change of them needs a restart).
/// </summary>
public sealed class ServedByThisNode : IAuthorizationRequirement
{
    public static readonly ServedByThisNode Requirement = new();

    private ServedByThisNode()
    {
    }

    /// <summary>
    /// Adds the requirement to the fallback policy (every API route: none names a policy of its own) beside
    /// <see cref="AuthenticationSetup"/>'s caller, and answers its refusals (<see cref="NodeRefusal"/>).
    /// </summary>
    public static IServiceCollection AddTo(IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, Handler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, NodeRefusal>();
        services.PostConfigure<AuthorizationOptions>(options => options.FallbackPolicy = AuthorizationPolicy.Combine(
            options.FallbackPolicy ?? throw new InvalidOperationException("The API's fallback policy (a caller) is set by AddMutualAssistanceAuthentication first."),
            new AuthorizationPolicyBuilder().AddRequirements(Requirement).Build()));
        return services;
    }

    /// <summary>The reason a caller was refused: the answer of the node.</summary>
    public sealed class NotServedHere(IAuthorizationHandler handler, string authority, NodeServing serving)
        : AuthorizationFailureReason(handler, $"Node {serving.NodeId} does not serve callers of {authority}.")
    {
        public string Authority { get; } = authority;

        public NodeServing Serving { get; } = serving;
    }

    public sealed class Handler(IClusterClient cluster) : AuthorizationHandler<ServedByThisNode>
    {
        /// <summary>Most authorities whose answer is kept (the directory holds far fewer).</summary>
        private const int MaxKept = 1_000;

        private readonly ConcurrentDictionary<string, NodeServing> kept = new(StringComparer.Ordinal);

        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ServedByThisNode requirement)
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                return; // refused 401 by the policy's other requirements
            }

            var authority = context.User.Authority();
            if (!kept.TryGetValue(authority, out var serving))
            {
                serving = await cluster.GetGrain<INodeGrain>(0).Serving(authority);
                if (kept.Count < MaxKept)
                {
                    kept.TryAdd(authority, serving);
                }
            }

            if (serving.ServedHere)
            {
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new NotServedHere(this, authority, serving));
            }
        }
    }
}
