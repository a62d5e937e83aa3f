namespace MutualAssistance.ServiceDefaults;

/// <summary>
/// How quickly the cluster gives up on a silo that stopped answering, shared by the silo and the API (README,
/// "Failover"). Orleans' defaults (probe 5 s, 3 missed probes, response timeout 30 s) leave a caller of a grain
/// on a killed silo waiting up to 30 s; with these, callers are served again within about 10 s of a kill. The
/// price: a call slower than the response timeout is reported as timed out (its outcome unknown) although it may
/// still finish, and a silo that stalls longer than the probes allow (a long GC pause, a starved machine) is voted
/// dead and must restart. Each value can be overridden under <c>Orleans:Membership</c> (silo) and
/// <c>Orleans:Messaging</c> (both).
/// </summary>
public static class ClusterTimings
{
    public const string MembershipSection = "Orleans:Membership";

    public const string MessagingSection = "Orleans:Messaging";

    /// <summary>How long a grain call waits for its answer (Orleans default 30 s).</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A probe's initial timeout; Orleans adapts it per silo within half to four times this (default 5 s).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes before a silo votes another dead (default 3).</summary>
    public const int NumMissedProbesLimit = 2;

    /// <summary>How often a silo reads the whole membership table, besides gossip (default 60 s).</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(10);
}
