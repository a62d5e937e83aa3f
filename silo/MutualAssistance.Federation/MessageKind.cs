namespace MutualAssistance.Federation;

/// <summary>The four messages of the exchange (docs: silo/MutualAssistance.Federation/PROTOCOL.md).</summary>
public enum MessageKind
{
    /// <summary>Events of a shared request, sent by the node that recorded them.</summary>
    Change,

    /// <summary>An action taken on the following node, for the ordering node to decide.</summary>
    Command,

    /// <summary>The answer to a change: what the receiver did and its chain head.</summary>
    Receipt,

    /// <summary>The answer to a command: the decision, the events since the command's base, and the receipt part.</summary>
    Decision,
}
