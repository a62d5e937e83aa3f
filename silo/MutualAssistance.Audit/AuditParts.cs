namespace MutualAssistance.Audit;

/// <summary>Which parts of a request an entry says were served or sent (<c>audit_log.parts</c>, comma-separated).</summary>
public static class AuditParts
{
    /// <summary>The whole request as its grain shows it: subject, summary of facts, persons concerned, references, clocks.</summary>
    public const string Request = "subject,facts,persons";

    /// <summary>Its history: who did what, and the reasons they gave.</summary>
    public const string History = "history,reasons";

    /// <summary>A line in a list or on a board: ids, codes, dates and the subject.</summary>
    public const string Summary = "subject";

    /// <summary>Counts per partner, legal basis and clock: no request named.</summary>
    public const string Aggregates = "aggregates";

    /// <summary>A shared request's events and its state after them, as one envelope carries them to the peer.</summary>
    public const string SharedChange = "subject,facts,persons,history,reasons";

    /// <summary>An action taken here, with its reason, sent to the ordering node.</summary>
    public const string Command = "command,reasons";
}
