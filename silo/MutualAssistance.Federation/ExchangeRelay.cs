using System.Threading.Channels;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Audit;

namespace MutualAssistance.Federation;

/// <summary>
/// Sends what waits for the peers, until each is acknowledged: the outbox's events (a receipt marks them delivered)
/// and the commands for the ordering node (a decision applies its events here). Every silo runs one; a row is
/// claimed for a lease, so silos do not send the same one at once (if they did, the receiver's replay check makes
/// the second a no-op). A failure waits with a doubling backoff and is never given up (a defect is parked instead:
/// <see cref="DefectRetry"/>); the first success after
/// failures releases everything else waiting for that peer at once. A commit kicks the relay, so events go at once
/// rather than at the next poll.
/// </summary>
public sealed partial class ExchangeRelay(
    PostgresExchangeStore store,
    ExchangeSender sender,
    NodeMap nodes,
    IGrainFactory grains,
    ExchangeOptions options,
    ExchangeMetrics metrics,
    TimeProvider time,
    AuditLogWriter audit,
    ILogger<ExchangeRelay> logger) : BackgroundService, IPeerLink
{
    private readonly SemaphoreSlim slots = new(options.Parallelism, options.Parallelism);
    private readonly Channel<bool> kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Kick() => kicks.Writer.TryWrite(true);

    public async Task<PeerCommandReply?> TrySend(Peer peer, Guid requestId, PeerCommand command, CancellationToken cancellationToken = default)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.CommandWait);
        try
        {
            var (reply, error) = await Decide(peer, requestId, command, wait.Token);
            if (reply is null)
            {
                LogCommandNotDecided(requestId, command.Sequence, peer.Id, error!);
            }

            return reply;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Sends a command once; the ordering node's decision (its receipt kept as evidence), or why there is none.</summary>
    private async Task<(PeerCommandReply? Reply, string? Error)> Decide(Peer peer, Guid requestId, PeerCommand command, CancellationToken cancellationToken)
    {
        var result = await sender.Send(peer, sender.Message(MessageKind.Command, peer, requestId, command.Sequence) with { Command = command }, cancellationToken);
        if (result.Reply is not { Decision: { } decision } reply)
        {
            return (null, result.Error ?? "no decision");
        }

        if (decision.Sequence != command.Sequence)
        {
            // Never taken as this command's decision (nor as the peer being back): the command waits, on its backoff.
            return (null, $"the answer is the decision of command {decision.Sequence}, not of command {command.Sequence}");
        }

        await store.KeepDecisionReceipt(requestId, peer.Id, command.Sequence, reply.Receipt!, result.Evidence!, cancellationToken);
        await Disclosed(peer, requestId, AuditParts.Command);
        return (new PeerCommandReply { Decision = decision, Change = reply.Change }, null);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (nodes.Peers.IsEmpty)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var worked = await SendDue(stoppingToken);
                if (!worked)
                {
                    using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    poll.CancelAfter(options.PollInterval);
                    try
                    {
                        await kicks.Reader.ReadAsync(poll.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // The database is away: nothing was lost, the rows wait; try again after a poll.
                LogRelayPaused(e.GetType().Name, e.Message);
                await Task.Delay(options.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// A row is claimed for this long (twice a send's timeout): other silos skip it meanwhile, and a silo that stopped
    /// with rows claimed delays them by no more than this.
    /// </summary>
    private TimeSpan Lease => options.SendTimeout * 2;

    /// <summary>
    /// How long a row waits after a defect (<see cref="IsDefect"/>). What "surfacing" means for this loop: the relay
    /// itself goes on (one bad row must not stop every peer's exchange, nor the silo), but the defect is logged at
    /// Critical with its stack, recorded on the row as its last error (<c>defect: …</c>), and the row is parked rather
    /// than retried on the doubling backoff, so the log is not flooded with the same stack: a day, long enough that
    /// /health/exchange turns Degraded naming the request and the defect (<c>Exchange:DegradedAfter</c>), short
    /// enough that a fixed release sends it without an operator. The peer's return after an outage
    /// (<see cref="PostgresExchangeStore.PeerBack"/>) releases it too, as it does every row that failed.
    /// </summary>
    internal static readonly TimeSpan DefectRetry = TimeSpan.FromDays(1);

    /// <summary>
    /// A programming error, not a failure of the link or the peer: retrying does not heal it.
    /// (<see cref="ObjectDisposedException"/>, although an <see cref="InvalidOperationException"/>, is the shutdown's
    /// disposal racing a send, and is not one.)
    /// </summary>
    private static bool IsDefect(Exception e) =>
        e is (NullReferenceException or ArgumentException or InvalidOperationException) and not ObjectDisposedException;

    private static string Defect(Exception e) => $"defect: {e.GetType().Name}: {e.Message}";

    /// <summary>
    /// Claims as many due rows as there are free send slots (<c>Exchange:Parallelism</c>) and starts each send; a send
    /// that ends frees its slot and wakes the loop, so a slow send never holds up the others. True when it started any.
    /// </summary>
    private async Task<bool> SendDue(CancellationToken cancellationToken)
    {
        if (slots.CurrentCount == 0)
        {
            await slots.WaitAsync(cancellationToken);
            slots.Release();
        }

        var outbox = await store.ClaimOutbox(slots.CurrentCount, Lease, cancellationToken);
        foreach (var item in outbox)
        {
            await Start(() => SendEvents(item, cancellationToken), cancellationToken);
        }

        var commands = slots.CurrentCount == 0 ? [] : await store.ClaimCommands(slots.CurrentCount, Lease, cancellationToken);
        foreach (var item in commands)
        {
            await Start(() => SendCommand(item, cancellationToken), cancellationToken);
        }

        return outbox.Length + commands.Length > 0;
    }

    private async Task Start(Func<Task> send, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        _ = Run();

        async Task Run()
        {
            try
            {
                await send();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                slots.Release();
                Kick();
            }
        }
    }

    /// <summary>Sends one outbox row; whatever fails is recorded on the row (its last error, a backoff) and logged, and the row waits.</summary>
    private async Task SendEvents(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            await TrySendEvents(item, cancellationToken);
        }
        catch (Exception e) when (IsDefect(e))
        {
            metrics.Failed(item.Peer);
            LogSendDefect(e, item.RequestId, item.Peer);
            await store.Failed(item, DefectRetry, Defect(e), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = $"{e.GetType().Name}: {e.Message}";
            metrics.Failed(item.Peer);
            LogSendFailed(item.RequestId, item.Peer, item.Attempts + 1, error);
            await store.Failed(item, options.Backoff(item.Attempts), error, CancellationToken.None);
        }
    }

    private async Task TrySendEvents(OutboxItem item, CancellationToken cancellationToken)
    {
        if (nodes.Peer(item.Peer) is not { } peer)
        {
            await store.Failed(item, options.MaxBackoff, $"node {item.Peer} is no longer a peer (setting 'Node:Peers')", cancellationToken);
            return;
        }

        var change = await store.ReadOutgoing(item.RequestId, item.DeliveredSequence, cancellationToken);
        if (change is null)
        {
            return;
        }

        var result = await sender.Send(peer, sender.Message(MessageKind.Change, peer, item.RequestId, change.LastSequence) with { Change = change }, cancellationToken);
        if (result.Reply?.Receipt is not { } receipt || receipt.Outcome is ReceiveOutcome.Invalid or ReceiveOutcome.Diverged)
        {
            var error = result.Error ?? $"{result.Reply?.Receipt?.Outcome}: {result.Reply?.Receipt?.Detail}";
            metrics.Failed(peer.Id);
            LogSendFailed(item.RequestId, peer.Id, item.Attempts + 1, error);
            await store.Failed(item, options.Backoff(item.Attempts), error, cancellationToken);
            return;
        }

        if (receipt.Outcome == ReceiveOutcome.Held)
        {
            // The peer lacks events before these (restored from an older backup, say): send again from its head.
            LogRewound(item.RequestId, peer.Id, receipt.Head.Sequence);
            await store.Rewind(item, receipt.Head.Sequence, cancellationToken);
            return;
        }

        // Agreement: the peer holds our last event, with our hash (its head may be further on: its own events).
        var agreed = receipt.Committed == ChainHead.Of(change.Events[^1]);
        if (!agreed)
        {
            metrics.Disagreement(peer.Id);
            LogDisagreement(item.RequestId, peer.Id, change.LastSequence, receipt.Head.Sequence);
        }

        await store.Delivered(item, change.LastSequence, receipt, result.Evidence!, agreed, cancellationToken);
        await Disclosed(peer, item.RequestId, AuditParts.SharedChange);
        metrics.Sent("change", peer.Id);
        if (item.Attempts > 0)
        {
            await store.PeerBack(peer.Id, cancellationToken);
            Kick();
        }
        metrics.Lag(time.GetUtcNow() - change.Events[0].At);
    }

    private async Task SendCommand(CommandItem item, CancellationToken cancellationToken)
    {
        try
        {
            await TrySendCommand(item, cancellationToken);
        }
        catch (Exception e) when (IsDefect(e))
        {
            metrics.Failed(item.Peer);
            LogCommandDefect(e, item.RequestId, item.Command.Sequence, item.Peer);
            await store.CommandFailed(item.RequestId, item.Command.Sequence, DefectRetry, Defect(e), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = $"{e.GetType().Name}: {e.Message}";
            metrics.Failed(item.Peer);
            LogCommandNotDecided(item.RequestId, item.Command.Sequence, item.Peer, error);
            await store.CommandFailed(item.RequestId, item.Command.Sequence, options.Backoff(item.Attempts), error, CancellationToken.None);
        }
    }

    private async Task TrySendCommand(CommandItem item, CancellationToken cancellationToken)
    {
        var (reply, error) = nodes.Peer(item.Peer) is { } peer
            ? await Decide(peer, item.RequestId, item.Command, cancellationToken)
            : (null, $"node {item.Peer} is no longer a peer (setting 'Node:Peers')");
        if (reply is null)
        {
            metrics.Failed(item.Peer);
            LogCommandNotDecided(item.RequestId, item.Command.Sequence, item.Peer, error!);
            await store.CommandFailed(item.RequestId, item.Command.Sequence, options.Backoff(item.Attempts), error!, cancellationToken);
            return;
        }

        await grains.GetGrain<IRequestExchangeGrain>(item.RequestId).Decided(item.Command.Sequence, reply);
        metrics.Sent("command", item.Peer);

        // Only once this command is decided: releasing the peer's waiting rows before would release this very command,
        // still undecided, to be sent again at once (a retry resetting its own backoff).
        if (item.Attempts > 0)
        {
            await store.PeerBack(item.Peer, cancellationToken);
            Kick();
        }
    }

    /// <summary>A delivered envelope is a disclosure to the peer: logged (<c>disclosure.peer</c>), not awaited (it has gone already).</summary>
    private ValueTask Disclosed(Peer peer, Guid requestId, string parts) => audit.Enqueue(new AuditEntry
    {
        At = time.GetUtcNow(),
        Subject = "node:" + nodes.NodeId,
        Action = AuditActions.DisclosurePeer,
        RequestId = requestId,
        Parts = parts,
        Outcome = AuditOutcomes.Delivered,
        Recipient = peer.Id,
    }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange: request {RequestId} to node {Peer} not delivered (attempt {Attempt}): {Error}; it waits and is retried")]
    private partial void LogSendFailed(Guid requestId, string peer, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange: command {Sequence} of request {RequestId} to node {Peer} not decided: {Error}; it waits and is retried")]
    private partial void LogCommandNotDecided(Guid requestId, int sequence, string peer, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Exchange: request {RequestId}: node {Peer}'s receipt says its head is {TheirHead}, ours is {OurHead} with another hash: the histories disagree")]
    private partial void LogDisagreement(Guid requestId, string peer, int ourHead, int theirHead);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange: request {RequestId}: node {Peer} has events only up to {Head}; sending again from there")]
    private partial void LogRewound(Guid requestId, string peer, int head);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Exchange: request {RequestId} to node {Peer} failed on a defect; it is parked, not retried on the backoff")]
    private partial void LogSendDefect(Exception exception, Guid requestId, string peer);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Exchange: command {Sequence} of request {RequestId} to node {Peer} failed on a defect; it is parked, not retried on the backoff")]
    private partial void LogCommandDefect(Exception exception, Guid requestId, int sequence, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange relay paused ({Error}: {Message}); the waiting rows are kept")]
    private partial void LogRelayPaused(string error, string message);
}
