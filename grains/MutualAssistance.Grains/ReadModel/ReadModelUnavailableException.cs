namespace MutualAssistance.Grains.ReadModel;

/// <summary>The read model could not be written; the projection stays pending in the grain's state.</summary>
public sealed class ReadModelUnavailableException : Exception
{
    public ReadModelUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ReadModelUnavailableException() : base("The read model is unavailable.")
    {
    }

    public ReadModelUnavailableException(string message) : base(message)
    {
    }
}
