namespace MutualAssistance.Api.Apis;

/// <summary>The JSON body of <c>POST /api/webhooks</c>.</summary>
public sealed record WebhookBody
{
    /// <summary>Where the notifications are posted (https on a production node).</summary>
    public string? Url { get; init; }

    /// <summary>Which types to receive (request.acted, request.warning, request.breach, request.escalation); none: all.</summary>
    public IReadOnlyList<string>? Events { get; init; }
}
