using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation;

/// <summary>
/// The exchange endpoint's work: every check of PROTOCOL.md's "Trust" in order, each refusal a problem answer that
/// is logged and changes nothing; then the request grain applies the change or decides the command, and the answer
/// is signed by this node (a receipt, or a decision with its events).
/// </summary>
public sealed partial class ExchangeReceiver(
    ExchangeKeys keys,
    IGrainFactory grains,
    PostgresExchangeStore store,
    ExchangeOptions options,
    ExchangeMetrics metrics,
    TimeProvider time,
    ILogger<ExchangeReceiver> logger) : IDisposable
{
    /// <summary>Before the signature is checked: a cheap limit per source address, so that one address cannot crowd out the peers.</summary>
    private readonly PartitionedRateLimiter<string> perSource = PartitionedRateLimiter.Create<string, string>(source =>
        RateLimitPartition.GetTokenBucketLimiter(source, _ => Bucket(options.UnverifiedPermitsPerSecond, options.UnverifiedBurst)));

    /// <summary>After the signature is checked: a limit per sending node.</summary>
    private readonly PartitionedRateLimiter<string> perNode = PartitionedRateLimiter.Create<string, string>(node =>
        RateLimitPartition.GetTokenBucketLimiter(node, _ => Bucket(options.PermitsPerSecond, options.Burst)));

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private NodeMap Nodes => keys.Nodes;

    public async Task<IResult> Handle(HttpContext http)
    {
        using var sourceLease = perSource.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (!sourceLease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "1";
            return Refuse(ExchangeRefusal.TooMany, null, $"More than {options.UnverifiedPermitsPerSecond} messages a second from this address (burst {options.UnverifiedBurst}).");
        }

        var body = await ReadBody(http.Request, options.MaxMessageBytes, http.RequestAborted);
        if (body is null)
        {
            return Refuse(ExchangeRefusal.TooLarge, null, $"A message is at most {options.MaxMessageBytes} bytes.");
        }

        var verified = keys.Verify(body);
        if (verified.Refusal is { } refusal)
        {
            return Refuse(refusal, null, verified.Detail!);
        }

        using var senderLease = perNode.AttemptAcquire(verified.Node!);
        if (!senderLease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "1";
            return Refuse(ExchangeRefusal.TooMany, verified.Node, $"More than {options.PermitsPerSecond} messages a second from node {verified.Node} (burst {options.Burst}).");
        }

        var payloadHash = CoseEnvelope.HashOf(verified.Payload);
        ExchangeMessage message;
        try
        {
            message = ExchangeJson.Read(verified.Payload);
        }
        catch (JsonException e)
        {
            return Refuse(ExchangeRefusal.Malformed, verified.Node, $"The payload is not an exchange message: {e.Message}");
        }

        if (message.Protocol != ExchangeMessage.CurrentProtocol)
        {
            return Refuse(ExchangeRefusal.Malformed, verified.Node, $"Protocol '{message.Protocol}' is not '{ExchangeMessage.CurrentProtocol}'.", "protocol");
        }

        if (message.Sender != verified.Node)
        {
            return Refuse(ExchangeRefusal.SenderNotKeyOwner, verified.Node, $"The message claims to come from node '{message.Sender}' but is signed with a key of node '{verified.Node}'.", "sender");
        }

        if (message.Recipient != Nodes.NodeId)
        {
            return Refuse(ExchangeRefusal.WrongRecipient, verified.Node, $"The message is for node '{message.Recipient}'; this is node {Nodes.NodeId}.", "recipient");
        }

        try
        {
            return await Dispatch(message, payloadHash, http);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Orleans.Storage.InconsistentStateException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            // Nothing was committed (or the grain found the stored state moved on): the sender gets no receipt and
            // sends again after its backoff.
            http.Response.Headers.RetryAfter = "1";
            return Refuse(ExchangeRefusal.Unavailable, message.Sender, $"This node could not apply the message now ({e.GetType().Name}); nothing changed. Send it again.");
        }
    }

    private async Task<IResult> Dispatch(ExchangeMessage message, string payloadHash, HttpContext http)
    {
        var sender = message.Sender;
        return message.Kind switch
        {
            MessageKind.Change when message.Change is { } change => await ReceiveChange(message, change, payloadHash, http),
            MessageKind.Command when message.Command is { } command => await DecideCommand(message, command, payloadHash),
            MessageKind.Change or MessageKind.Command => Refuse(ExchangeRefusal.Malformed, sender, $"A {message.Kind} message carries its {message.Kind}.", message.Kind == MessageKind.Change ? "change" : "command"),
            _ => Refuse(ExchangeRefusal.UnexpectedKind, sender, $"This endpoint takes changes and commands, not a {message.Kind}.", "kind"),
        };
    }

    private async Task<IResult> ReceiveChange(ExchangeMessage message, SharedChange change, string payloadHash, HttpContext http)
    {
        var sender = message.Sender;
        if (change.State.Id != message.RequestId || change.Events.IsDefaultOrEmpty || message.Sequence != change.LastSequence)
        {
            return Refuse(ExchangeRefusal.Malformed, sender, "The change's request id, events and sequence do not match the message's.", "change");
        }

        var filed = change.State.Filed;
        if (Nodes.PlacementOf(filed) is not { Peer.Id: var peer } || peer != sender)
        {
            return Refuse(ExchangeRefusal.RequestNotShared, sender, $"Request {message.RequestId} does not involve both node {sender}'s authorities and this node's.");
        }

        // Every actor named by the events acts for one of the two parties; a filing sent by the following side's node
        // (no ordering node yet) was filed by an authority of the sender's.
        foreach (var entry in change.Events.Where(e => e.Actor is not null))
        {
            if (entry.Actor!.Authority != filed.RequestingAuthority && entry.Actor.Authority != filed.RequestedAuthority)
            {
                return Refuse(ExchangeRefusal.AuthorityNotServedBySender, sender, $"Event {entry.Sequence} names authority '{entry.Actor.Authority}', not a party to the request.");
            }

            if (entry.Sequence == 1 && Nodes.PeerServing(entry.Actor.Authority)?.Id != sender)
            {
                return Refuse(ExchangeRefusal.AuthorityNotServedBySender, sender, $"The filing names authority '{entry.Actor.Authority}', which node {sender} does not serve.");
            }
        }

        var result = await grains.GetGrain<IRequestExchangeGrain>(message.RequestId).Receive(change, sender);
        metrics.Received("change", Contracts.WireNames.Of(result.Outcome));
        if (result.Outcome == ReceiveOutcome.Diverged)
        {
            // The alert does not pass silently on this side either: the request is marked, and health degrades.
            metrics.Disagreement(sender);
            await store.Disagrees(message.RequestId, sender, http.RequestAborted);
        }

        var receipt = Answer(MessageKind.Receipt, message, new ExchangeReceipt
        {
            EnvelopeHash = payloadHash,
            Outcome = result.Outcome,
            Committed = result.Committed,
            Head = result.Head,
            Detail = result.Detail,
        });
        return result.Outcome switch
        {
            ReceiveOutcome.Applied => Signed(receipt, StatusCodes.Status200OK),
            ReceiveOutcome.Held => Signed(receipt, StatusCodes.Status202Accepted),
            ReceiveOutcome.Duplicate => Refuse(ExchangeRefusal.Duplicate, sender, $"Events up to {change.LastSequence} were applied here before; nothing changed.", receipt: receipt),
            ReceiveOutcome.Diverged => Refuse(ExchangeRefusal.Diverged, sender, result.Detail!),
            _ => Refuse(ExchangeRefusal.InvalidChange, sender, result.Detail!),
        };
    }

    private async Task<IResult> DecideCommand(ExchangeMessage message, PeerCommand command, string payloadHash)
    {
        var sender = message.Sender;
        if (message.Sequence != command.Sequence)
        {
            return Refuse(ExchangeRefusal.Malformed, sender, "The command's sequence does not match the message's.", "command");
        }

        if (command.Action is not null && (command.Actor is null || Nodes.PeerServing(command.Actor.Authority)?.Id != sender))
        {
            return Refuse(ExchangeRefusal.AuthorityNotServedBySender, sender, $"The command is taken for authority '{command.Actor?.Authority}', which node {sender} does not serve.");
        }

        if ((command.Action is null) == (command.ClockEvents.IsDefaultOrEmpty && command.DueTimes.IsDefaultOrEmpty)
            || (!command.ClockEvents.IsDefaultOrEmpty && !command.DueTimes.IsDefaultOrEmpty))
        {
            return Refuse(ExchangeRefusal.Malformed, sender, "A command carries exactly one of: an action with its actor, clock events, due times.", "command");
        }

        var reply = await grains.GetGrain<IRequestExchangeGrain>(message.RequestId).Decide(command, sender);
        if (reply.Decision is not { } decision)
        {
            return Refuse(reply.Forbidden ? ExchangeRefusal.AuthorityNotServedBySender : ExchangeRefusal.NotDecided, sender, reply.Detail ?? "Not decided.");
        }

        metrics.Received("command", Contracts.WireNames.Of(decision.Outcome));
        var head = reply.Change?.State.Head;
        var answer = Answer(MessageKind.Decision, message, new ExchangeReceipt
        {
            EnvelopeHash = payloadHash,
            Outcome = ReceiveOutcome.Applied,
            Head = head ?? Domain.History.ChainHead.Genesis,
        }) with { Decision = decision, Change = reply.Change };
        return Signed(answer, StatusCodes.Status200OK);
    }

    private ExchangeMessage Answer(MessageKind kind, ExchangeMessage to, ExchangeReceipt receipt) => new()
    {
        Protocol = ExchangeMessage.CurrentProtocol,
        Kind = kind,
        Sender = Nodes.NodeId,
        Recipient = to.Sender,
        RequestId = to.RequestId,
        SentAt = time.GetUtcNow(),
        Sequence = to.Sequence,
        Receipt = receipt,
    };

    private StatusBytes Signed(ExchangeMessage answer, int status) => new StatusBytes(keys.Sign(answer).Envelope, status);

    private ProblemHttpResult Refuse(ExchangeRefusal refusal, string? sender, string detail, string? field = null, ExchangeMessage? receipt = null)
    {
        metrics.Refused(refusal.Name());
        LogRefused(refusal.Name(), sender ?? "(unverified)", detail);
        var extensions = new Dictionary<string, object?> { ["code"] = refusal.Name() };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (receipt is not null)
        {
            extensions["receipt"] = Convert.ToBase64String(keys.Sign(receipt).Envelope);
        }

        return TypedResults.Problem(detail: detail, statusCode: refusal.Status(), title: "Exchange message refused", type: ExchangeRefusals.TypeBase + refusal.Name(), extensions: extensions);
    }

    /// <summary>The body, or null when it exceeds <paramref name="limit"/> bytes (read no further than that).</summary>
    private static async Task<byte[]?> ReadBody(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public void Dispose()
    {
        perSource.Dispose();
        perNode.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange: message from {Sender} refused ({Reason}): {Detail}")]
    private partial void LogRefused(string reason, string sender, string detail);

    /// <summary>A signed answer with its status.</summary>
    private sealed class StatusBytes(byte[] body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = CoseEnvelope.MediaType;
            await httpContext.Response.Body.WriteAsync(body);
        }
    }
}
