using MutualAssistance.Contracts.Federation;
using MutualAssistance.Domain.Federation;
using Orleans.Concurrency;

namespace MutualAssistance.Grains.Federation;

/// <summary>Answers from the silo's <see cref="NodeMap"/>, the one owner of which node serves whom; stateless, so every silo answers locally.</summary>
[StatelessWorker]
public sealed class NodeGrain(NodeMap nodes) : Grain, INodeGrain
{
    public Task<NodeServing> Serving(string authority) => Task.FromResult(new NodeServing
    {
        ServedHere = nodes.ServesHere(authority),
        NodeId = nodes.NodeId,
        ServingNode = nodes.PeerServing(authority)?.Id,
    });
}
