namespace MutualAssistance.Api;

/// <summary>
/// What a caller whose write ended with "outcome unknown" should do, declared by each write endpoint
/// (<see cref="RetryAdviceExtensions.WithRetryAdvice{TBuilder}"/>) and read by <see cref="ClusterUnavailableHandler"/>
/// from the endpoint that failed (the exception handler clears the route values, so the route cannot tell).
/// </summary>
public enum RetryAdvice
{
    /// <summary>Re-read the resource before repeating the call (a write with no idempotency of its own).</summary>
    ReadFirst,

    /// <summary>Retry with the same If-Match: an action applies at most once.</summary>
    SameIfMatch,

    /// <summary>Retry with the same Idempotency-Key: a filing files once.</summary>
    SameIdempotencyKey,

    /// <summary>Repeating the same call is safe: it changes nothing once it has landed.</summary>
    Repeat,
}

/// <summary>An endpoint's <see cref="RetryAdvice"/>, as endpoint metadata.</summary>
public sealed record RetryAdviceMetadata(RetryAdvice Advice);

public static class RetryAdviceExtensions
{
    public static TBuilder WithRetryAdvice<TBuilder>(this TBuilder builder, RetryAdvice advice) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RetryAdviceMetadata(advice));
}
