namespace MutualAssistance.Domain.Federation;

/// <summary>
/// The ordering node's answer to a command: its decision and the events after the command's base up to it; or,
/// for a command that skipped a number, no decision and why (the sender sends the missing one first).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.PeerCommandReply")]
public sealed record PeerCommandReply
{
    [Id(0)] public PeerCommandDecision? Decision { get; init; }

    [Id(1)] public SharedChange? Change { get; init; }

    [Id(2)] public string? Detail { get; init; }

    /// <summary>The sender may not send this command (an actor or clocks not of its authorities); not to be sent again.</summary>
    [Id(3)] public bool Forbidden { get; init; }
}
