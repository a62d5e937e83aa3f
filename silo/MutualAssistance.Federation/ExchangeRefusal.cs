
namespace MutualAssistance.Federation;

/// <summary>Why the exchange endpoint refused a message; each is a problem answer with its own <c>type</c> and status.</summary>
public enum ExchangeRefusal
{
    TooLarge,
    TooMany,
    NotAnEnvelope,
    MissingKeyId,
    UnknownKey,
    KeyNotInForce,
    BadSignature,
    Malformed,
    WrongRecipient,
    SenderNotKeyOwner,
    AuthorityNotServedBySender,
    RequestNotShared,
    UnexpectedKind,
    Duplicate,
    Diverged,
    InvalidChange,
    NotDecided,

    /// <summary>This node could not commit or answer now (its database, say): nothing changed; send again later.</summary>
    Unavailable,
}

public static class ExchangeRefusals
{
    public const string TypeBase = "https://mutual-assistance.example/problems/exchange/";

    public static int Status(this ExchangeRefusal refusal) => refusal switch
    {
        ExchangeRefusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ExchangeRefusal.TooMany => StatusCodes.Status429TooManyRequests,
        ExchangeRefusal.MissingKeyId or ExchangeRefusal.UnknownKey or ExchangeRefusal.KeyNotInForce or ExchangeRefusal.BadSignature => StatusCodes.Status401Unauthorized,
        ExchangeRefusal.SenderNotKeyOwner or ExchangeRefusal.AuthorityNotServedBySender or ExchangeRefusal.RequestNotShared => StatusCodes.Status403Forbidden,
        ExchangeRefusal.Duplicate or ExchangeRefusal.Diverged or ExchangeRefusal.NotDecided => StatusCodes.Status409Conflict,
        ExchangeRefusal.InvalidChange => StatusCodes.Status422UnprocessableEntity,
        ExchangeRefusal.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string Name(this ExchangeRefusal refusal) => Contracts.WireNames.Of(refusal);
}
