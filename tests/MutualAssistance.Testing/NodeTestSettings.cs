namespace MutualAssistance.Testing;

/// <summary>The node and exchange settings tests give a silo: one node serving every authority, or a node of a federation.</summary>
public static class NodeTestSettings
{
    /// <summary>The exchange's limits and timings, shorter than production's so that retries show in seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Exchange = new Dictionary<string, string?>
    {
        ["Exchange:MaxMessageBytes"] = "1048576",
        ["Exchange:PermitsPerSecond"] = "2000",
        ["Exchange:Burst"] = "2000",
        ["Exchange:UnverifiedPermitsPerSecond"] = "4000",
        ["Exchange:UnverifiedBurst"] = "4000",
        ["Exchange:Listener:ClientCertificates"] = "none",
        ["Exchange:PollInterval"] = "00:00:00.500",
        ["Exchange:FirstRetry"] = "00:00:00.200",
        ["Exchange:MaxBackoff"] = "00:00:02",
        ["Exchange:SendTimeout"] = "00:00:05",
        ["Exchange:CommandWait"] = "00:00:03",
        ["Exchange:Parallelism"] = "8",
        ["Exchange:DegradedAfter"] = "00:15:00",
    };

    /// <summary>Retention as production's default; the sweep left to the tests that run it themselves.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Retention = new Dictionary<string, string?>
    {
        ["Retention:Default"] = "P5Y",
        ["Retention:SweepInterval"] = "01:00:00",
        ["Retention:BatchSize"] = "500",
    };

    /// <summary>
    /// The address the tests' webhook receivers listen on: a loopback address of their own, which the tests' silos and
    /// APIs trust (<c>Notifications:Webhooks:AllowedHosts</c>) so that the rest of loopback, 127.0.0.1 and localhost
    /// included, stays refused as it is for every deployment that trusts none.
    /// </summary>
    public const string WebhookReceiverHost = "127.0.0.2";

    /// <summary>Webhooks polled and retried in fractions of a second, to http receivers in the test process.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Webhooks = new Dictionary<string, string?>
    {
        ["Notifications:Webhooks:PollInterval"] = "00:00:00.200",
        ["Notifications:Webhooks:Timeout"] = "00:00:02",
        ["Notifications:Webhooks:FirstRetry"] = "00:00:00.200",
        ["Notifications:Webhooks:MaxBackoff"] = "00:00:01",
        ["Notifications:Webhooks:RequireHttps"] = "false",
        ["Notifications:Webhooks:AllowedHosts:0"] = WebhookReceiverHost,
        ["Notifications:Email:Enabled"] = "false",
    };

    /// <summary>One node serving every authority, no peers: the shape before federation.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Alone = new Dictionary<string, string?>(Exchange.Concat(SealingTestSettings.Keys).Concat(Retention).Concat(Webhooks))
    {
        ["Node:Id"] = "ALL",
        ["Node:Authorities"] = "*",
    };
}
