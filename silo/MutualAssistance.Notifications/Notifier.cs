using System.Collections.Immutable;
using System.Globalization;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Notifications;
using MutualAssistance.Domain.ReferenceData;
using Npgsql;
using StandardWebhooks;

namespace MutualAssistance.Notifications;

/// <summary>
/// Tells the authorities' webhooks what their requests recorded (README, "Notifications"), apart from the grains:
/// every <see cref="WebhookOptions.PollInterval"/> each silo turns the queued events into deliveries
/// (<see cref="NotificationRule"/> decides who must know; one delivery per subscription and event) and sends the
/// deliveries due, each signed per Standard Webhooks with its subscription's secret and the same <c>webhook-id</c>
/// on every attempt, retried with backoff until the receiver answers 2xx. Silos share the work through row locks.
/// </summary>
public sealed partial class Notifier(
    NpgsqlDataSource dataSource,
    WebhookSubscriptions subscriptions,
    IHttpClientFactory clients,
    Microsoft.Extensions.Options.IOptions<WebhookOptions> webhookOptions,
    MailOptions mail,
    MailSender mailSender,
    CurrentReferenceData referenceData,
    NodeMap nodes,
    TimeProvider time,
    ILogger<Notifier> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private readonly WebhookOptions options = webhookOptions.Value;

    /// <summary>
    /// What an admin reads of a delivery that got no answer: one text whatever went wrong (a closed port, a service that
    /// is not HTTP, no answer in time, a host refused), so that deliveries tell nothing of the network they were sent
    /// into; the cause goes to the log only.
    /// </summary>
    public const string NotReached = "The receiver could not be reached, or did not answer in time.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await FanOutAsync(stoppingToken) == WebhookOptions.BatchSize)
                {
                }

                while (await SendDueAsync(stoppingToken) == WebhookOptions.BatchSize)
                {
                }

                await mailSender.SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogRoundFailed(e.Message); // what was queued stays queued; the next round takes it
            }
        }
    }

    /// <summary>Turns up to one batch of queued events into deliveries; the number of events taken.</summary>
    public async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var taken = await NotificationQueue.Take(connection, transaction, WebhookOptions.BatchSize, cancellationToken);
        if (taken.IsEmpty)
        {
            return 0;
        }

        var told = taken.Select(e => (Event: e, Rule: NotificationRule.For(e.Event, e.ActorAuthority, e.RequestingAuthority, e.RequestedAuthority, nodes.ServesHere)))
            .Where(t => t.Rule.Type is not null)
            .ToList();
        var authorities = told.SelectMany(t => t.Rule.Authorities).Distinct(StringComparer.Ordinal).ToList();
        var active = authorities.Count == 0 ? [] : await subscriptions.ActiveOf(authorities, cancellationToken);
        var deliveries = (
            from t in told
            from authority in t.Rule.Authorities
            from s in active
            where s.Subscription.Authority == authority && s.Subscription.Wants(t.Rule.Type!)
            select (s.Subscription.Id, t.Event.RequestId, t.Event.Sequence, t.Rule.Type!, Payload(t.Rule.Type!, t.Event, authority, includeSubject: false))).ToList();
        await MailQueue.Add(connection, transaction, MailItems(told.Select(t => (t.Event, t.Rule.Type!, t.Rule.Authorities))), cancellationToken);
        await NotificationQueue.Fan(connection, transaction, taken, deliveries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return taken.Length;
    }

    /// <summary>Sends up to one batch of deliveries due; the number claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await NotificationQueue.Claim(dataSource, WebhookOptions.BatchSize, options.Timeout * 2, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (delivery, token) => await Send(delivery, token));
        return due.Length;
    }

    private async Task Send(DueDelivery due, CancellationToken cancellationToken)
    {
        var delivery = due.Delivery;
        int? status = null;
        string? error;
        string? cause = null;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, due.Url)
            {
                Content = new StringContent(due.Payload, System.Text.Encoding.UTF8, "application/json"),
            };
            var now = time.GetUtcNow();
            message.Headers.Add("webhook-id", delivery.MessageId);
            message.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            message.Headers.Add("webhook-signature", new StandardWebhook(due.Secret).Sign(delivery.MessageId, now, due.Payload));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(message, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : Answered(status.Value);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = NotReached;
            cause = e is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0.#} s" : Cause(e);
        }

        var retryAt = error is null ? (DateTimeOffset?)null : time.GetUtcNow() + options.Backoff(delivery.Attempts + 1);
        await NotificationQueue.Attempted(dataSource, delivery, status, error, retryAt, CancellationToken.None);
        if (error is not null)
        {
            LogNotDelivered(delivery.SubscriptionId, delivery.MessageId, delivery.Attempts + 1, cause ?? error);
        }
    }

    /// <summary>What an admin reads of a delivery the receiver refused.</summary>
    public static string Answered(int status) => $"The receiver answered {status}.";

    /// <summary>Why a post failed, for the log: the error and the one under it (e.g. the socket's).</summary>
    private static string Cause(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    /// <summary>
    /// The mail items of the events told: a breach (level 0) or escalation to each configured address of an authority
    /// told that lists its level, to go in that authority's next office hours, or at once from the level the policy
    /// file names (escalation.mailAtOnceFromLevel).
    /// </summary>
    private List<MailItem> MailItems(IEnumerable<(QueuedEvent Event, string Type, ImmutableArray<string> Authorities)> told)
    {
        var items = new List<MailItem>();
        if (!mail.Enabled)
        {
            return items;
        }

        foreach (var (e, type, authorities) in told)
        {
            if (NotificationRule.LevelOf(HistoryEventJson.Of(e.Payload, e.Event, e.ClockChanges)) is not { } level)
            {
                continue;
            }

            foreach (var recipient in mail.Recipients.Where(r => authorities.Contains(r.Authority, StringComparer.Ordinal) && r.Levels.Contains(level)))
            {
                var (calendar, zone) = referenceData.Set.CalendarOf(recipient.Authority);
                var immediate = referenceData.Set.Policies.Ladder.MailsAtOnce(level);
                var payload = Payload(type, e, recipient.Authority, mail.IncludeSubject);
                items.Add(new MailItem(recipient.Address, e.RequestId, e.Sequence, recipient.Authority, recipient.Language, type, level, payload,
                    mail.Hours.SendAt(e.At, calendar, zone, immediate), immediate));
            }
        }

        return items;
    }

    /// <summary>What a receiver gets, and a mail is written from: <see cref="NotificationPayload"/>.</summary>
    private static string Payload(string type, QueuedEvent e, string authority, bool includeSubject) =>
        NotificationPayload.Of(type, e, authority, includeSubject).ToJson();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Subscription}: {MessageId} not delivered (attempt {Attempt}): {Error}; it waits and is retried")]
    private partial void LogNotDelivered(Guid subscription, string messageId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook notifier round failed: {Error}")]
    private partial void LogRoundFailed(string error);
}
