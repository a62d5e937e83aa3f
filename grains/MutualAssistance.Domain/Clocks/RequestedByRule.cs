namespace MutualAssistance.Domain.Clocks;

/// <summary>What the requester's <c>requestedBy</c> date does to a clock.</summary>
public enum RequestedByRule
{
    /// <summary>Nothing.</summary>
    Ignored = 0,

    /// <summary>The clock ends on that date when it is earlier than the rule's period (EIO art. 12(2)).</summary>
    Shortens = 1,

    /// <summary>The clock ends on that date instead of the rule's period (treaty targets).</summary>
    Replaces = 2,
}
