namespace MutualAssistance.Domain.Federation;

/// <summary>What a node did with a <see cref="SharedChange"/> it received.</summary>
[Alias("ma.ReceiveOutcome")]
public enum ReceiveOutcome
{
    /// <summary>The events follow this node's last one: committed.</summary>
    Applied = 0,

    /// <summary>Every event was here already, identical: nothing changed (a replay).</summary>
    Duplicate = 1,

    /// <summary>The events start after a gap: kept until the missing ones arrive.</summary>
    Held = 2,

    /// <summary>The events contradict what is here (another hash at the same sequence): refused, nothing changed.</summary>
    Diverged = 3,

    /// <summary>The change is not well formed (a broken chain, a state that does not match its events): refused.</summary>
    Invalid = 4,
}
