namespace MutualAssistance.Contracts.Requests;

/// <summary>A rule of the request refused a change; nothing changed. <see cref="Field"/> names what was wrong.</summary>
[GenerateSerializer]
[Alias("ma.RequestRuleException")]
public sealed class RequestRuleException : Exception
{
    public RequestRuleException(string field, string message) : base(message) => Field = field;

    public RequestRuleException() : this("request", "A rule of the request refused the change.")
    {
    }

    public RequestRuleException(string message, Exception innerException) : base(message, innerException) => Field = "request";

    public RequestRuleException(string message) : this("request", message)
    {
    }

    [Id(0)] public string Field { get; private set; }
}
