namespace MutualAssistance.Contracts.Requests;

/// <summary>One lifecycle action with what it needs; which fields are required depends on the action.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ActionCommand")]
public sealed record ActionCommand
{
    [Id(0)] public required RequestAction Action { get; init; }
    [Id(1)] public string? Reason { get; init; }
    [Id(2)] public string? Grounds { get; init; }
    [Id(3)] public DateOnly? Estimate { get; init; }
    [Id(4)] public ClockKind? Clock { get; init; }
    [Id(5)] public int? Days { get; init; }
    [Id(6)] public string? RequestedReference { get; init; }
    [Id(7)] public string? ForwardedTo { get; init; }
    [Id(8)] public string? Note { get; init; }

    /// <summary>The version the caller saw (If-Match); null to act on whatever is current.</summary>
    [Id(9)] public int? ExpectedVersion { get; init; }

    /// <summary><c>serve-order</c>: the service provider the order was served on.</summary>
    [Id(10)] public string? ServedOn { get; init; }

    /// <summary><c>serve-order</c>: when it was served (not in the future, not before receipt); null means now.</summary>
    [Id(11)] public DateTimeOffset? ServedAt { get; init; }
}
