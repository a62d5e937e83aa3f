using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation;

/// <summary>
/// Sends one evidence message to a peer and checks its evidence answer: evidence by that peer with a key in force,
/// addressed to this node, about the same request, and answering this very envelope (its hash).
/// </summary>
public sealed class ExchangeSender(IHttpClientFactory clients, ExchangeKeys keys, ExchangeOptions options, TimeProvider time)
{
    /// <summary>The named HttpClient the exchange uses (tests add handlers to it: a partition, a recorder).</summary>
    public const string ClientName = "exchange";

    public const string Path = "exchange/v1/messages";

    public ExchangeMessage Message(MessageKind kind, Peer peer, Guid requestId, int sequence) => new()
    {
        Protocol = ExchangeMessage.CurrentProtocol,
        Kind = kind,
        Sender = keys.Nodes.NodeId,
        Recipient = peer.Id,
        RequestId = requestId,
        SentAt = time.GetUtcNow(),
        Sequence = sequence,
    };

    public async Task<SendResult> Send(Peer peer, ExchangeMessage message, CancellationToken cancellationToken)
    {
        var (envelope, hash) = keys.Sign(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.SendTimeout);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(envelope);
            content.Headers.ContentType = new MediaTypeHeaderValue(CoseEnvelope.MediaType);
            response = await clients.CreateClient(ClientName).PostAsync(new Uri(peer.ExchangeUrl, Path), content, timeout.Token);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return SendResult.Failed(e is OperationCanceledException ? $"no answer within {options.SendTimeout.TotalSeconds:0.#} s" : $"{e.GetType().Name}: {e.Message}");
        }

        using (response)
        {
            byte[]? evidence = null;
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted && response.Content.Headers.ContentType?.MediaType == CoseEnvelope.MediaType)
            {
                evidence = body;
            }
            else if (response.StatusCode == HttpStatusCode.Conflict && ReceiptInProblem(body) is { } inProblem)
            {
                // A replay is refused, with the receipt of the envelope's first delivery: the evidence an honest
                // sender whose acknowledgement was lost still needs.
                evidence = inProblem;
            }

            if (evidence is null)
            {
                return SendResult.Failed($"{(int)response.StatusCode} {ProblemSummary(body)}");
            }

            var verified = keys.Verify(evidence);
            if (verified.Refusal is not null)
            {
                return SendResult.Failed($"the answer is not trusted: {verified.Detail}");
            }

            ExchangeMessage reply;
            try
            {
                reply = ExchangeJson.Read(verified.Payload);
            }
            catch (JsonException e)
            {
                return SendResult.Failed($"the answer is not a message: {e.Message}");
            }

            if (verified.Node != peer.Id || reply.Sender != peer.Id || reply.Recipient != keys.Nodes.NodeId || reply.RequestId != message.RequestId
                || reply.Receipt?.EnvelopeHash != hash)
            {
                return SendResult.Failed("the answer is not the peer's receipt for this envelope");
            }

            return new SendResult(reply, evidence, null);
        }
    }

    private static byte[]? ReceiptInProblem(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("receipt", out var receipt) && receipt.ValueKind == JsonValueKind.String
                ? Convert.FromBase64String(receipt.GetString()!)
                : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static string ProblemSummary(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return $"{title}: {detail}";
        }
        catch (JsonException)
        {
            return body.Length == 0 ? "(no body)" : $"({body.Length} bytes, not a problem)";
        }
    }
}

/// <summary>A peer's verified answer (and its evidence bytes, kept as evidence), or why there is none.</summary>
public sealed record SendResult(ExchangeMessage? Reply, byte[]? Evidence, string? Error)
{
    public static SendResult Failed(string error) => new(null, null, error);
}
