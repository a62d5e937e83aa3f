using System.Diagnostics.Metrics;

namespace MutualAssistance.Federation;

/// <summary>The exchange's instruments (meter <c>MutualAssistance.Exchange</c>).</summary>
public sealed class ExchangeMetrics
{
    public const string MeterName = "MutualAssistance.Exchange";

    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> received;
    private readonly Counter<long> refused;
    private readonly Counter<long> disagreements;
    private readonly Histogram<double> deliveryLag;

    public ExchangeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        sent = meter.CreateCounter<long>("ma.exchange.sent", "{envelope}", "Envelopes a peer acknowledged");
        failed = meter.CreateCounter<long>("ma.exchange.send_failures", "{envelope}", "Sends that failed and wait for a retry");
        received = meter.CreateCounter<long>("ma.exchange.received", "{envelope}", "Envelopes received, by outcome");
        refused = meter.CreateCounter<long>("ma.exchange.refused", "{envelope}", "Envelopes refused, by reason");
        disagreements = meter.CreateCounter<long>("ma.exchange.disagreements", "{receipt}", "Receipts whose chain head disagreed with this node's history");
        deliveryLag = meter.CreateHistogram<double>("ma.exchange.delivery_lag", "s", "From an event's commit to the peer's receipt");
    }

    public void Sent(string kind, string peer) => sent.Add(1, new("kind", kind), new("peer", peer));

    public void Failed(string peer) => failed.Add(1, new KeyValuePair<string, object?>("peer", peer));

    public void Received(string kind, string outcome) => received.Add(1, new("kind", kind), new("outcome", outcome));

    public void Refused(string reason) => refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Disagreement(string peer) => disagreements.Add(1, new KeyValuePair<string, object?>("peer", peer));

    public void Lag(TimeSpan lag) => deliveryLag.Record(lag.TotalSeconds);
}
