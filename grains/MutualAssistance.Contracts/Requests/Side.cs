namespace MutualAssistance.Contracts.Requests;

/// <summary>The two parties to a request: the state asking for assistance and the state asked.</summary>
[Alias("ma.Side")]
public enum Side
{
    Requesting = 0,
    Requested = 1,
}
