namespace MutualAssistance.Contracts.Federation;

/// <summary>The node's place in the federation (its <c>Node</c> settings, which the silos hold), for the API to ask.</summary>
[Alias("ma.INodeGrain")]
public interface INodeGrain : IGrainWithIntegerKey
{
    /// <summary>Whether this node serves callers of <paramref name="authority"/>, and which node does if another.</summary>
    [Alias("Serving")]
    Task<NodeServing> Serving(string authority);
}
