namespace MutualAssistance.Audit;

/// <summary>What an entry of the consultation and disclosure log records, by the name stored in <c>audit_log.action</c>.</summary>
public static class AuditActions
{
    /// <summary>A request read by id (its personal data served).</summary>
    public const string RequestRead = "request.read";

    /// <summary>A request's history served (actors and reasons).</summary>
    public const string RequestHistory = "request.history";

    /// <summary>A request served in a list (one entry per request on the page).</summary>
    public const string RequestList = "request.list";

    /// <summary>A request found by a search for a person (one entry per hit).</summary>
    public const string RequestSearchHit = "request.search-hit";

    /// <summary>A request on a deadline board (one entry per request on the page).</summary>
    public const string DeadlinesBoard = "deadlines.board";

    /// <summary>A request filed (or registered), and served back to its filer.</summary>
    public const string RequestFiled = "request.filed";

    /// <summary>An action taken on a request, and the request served back.</summary>
    public const string RequestActed = "request.acted";

    /// <summary>The breach report disclosed to its authority (JSON or CSV; aggregates, no request named).</summary>
    public const string ReportBreaches = "report.breaches";

    /// <summary>A request's personal data erased on this node (a lawful order through the API; the retention period's end).</summary>
    public const string RequestErased = "request.erased";

    /// <summary>A shared request's events or a command about it delivered to a peer node.</summary>
    public const string DisclosurePeer = "disclosure.peer";

    /// <summary>A bearer token validated (not every later use of it while it is cached).</summary>
    public const string Logon = "logon";

    /// <summary>An API call refused: 401, 403, or 404 on a request (another authority's, or none).</summary>
    public const string AccessRefused = "access.refused";
}
