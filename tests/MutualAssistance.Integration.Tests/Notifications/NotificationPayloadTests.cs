using MutualAssistance.Notifications;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The notifier's one payload type: the webhook body it writes keeps the names, order and nulls receivers already
/// parse, and a mail item's stored payload reads back into the same record.
/// </summary>
[Trait("Category", "Fast")]
public sealed class NotificationPayloadTests
{
    private static readonly QueuedEvent Breach = new(
        Guid.Parse("69134eeb-c09c-5cbd-935d-7f3459bf6fe2"), 4, "breach", null, DateTimeOffset.Parse("2026-03-04T16:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture),
        ["decision: breach - the period has ended (due 2026-03-04T16:00:00Z)"], "KZ-GP", "CN-MOJ", "Proceeds of fraud");

    [Fact]
    public void The_webhook_body_keeps_the_names_on_the_wire_and_leaves_the_subject_out()
    {
        // As the notifier wrote it before it had a type (an anonymous object under the web defaults), byte for byte.
        const string Expected = """{"type":"request.breach","timestamp":"2026-03-04T16:00:00+00:00","data":{"requestId":"69134eeb-c09c-5cbd-935d-7f3459bf6fe2","sequence":4,"event":"breach","at":"2026-03-04T16:00:00+00:00","authority":"CN-MOJ","actorAuthority":null,"requestingAuthority":"KZ-GP","requestedAuthority":"CN-MOJ","clockChanges":["decision: breach - the period has ended (due 2026-03-04T16:00:00Z)"],"subject":null}}""";
        Assert.Equal(Expected, NotificationPayload.Of("request.breach", Breach, "CN-MOJ", includeSubject: false).ToJson());
    }

    [Fact]
    public void A_mail_items_payload_reads_back_into_the_record_the_notifier_wrote()
    {
        var written = NotificationPayload.Of("request.breach", Breach with { ClockChanges = default }, "KZ-GP", includeSubject: true);
        var read = NotificationPayload.FromJson(written.ToJson());
        Assert.Equal(written.ToJson(), read.ToJson());
        Assert.Empty(read.Data.ClockChanges); // none recorded: an empty list on the wire, not null
        Assert.Equal("Proceeds of fraud", read.Data.Subject);
        Assert.Equal(Breach.At, read.Data.At);
    }
}
