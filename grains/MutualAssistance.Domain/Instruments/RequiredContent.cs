namespace MutualAssistance.Domain.Instruments;

/// <summary>One thing a request under an instrument must contain, with the article that requires it.</summary>
public sealed record RequiredContent(string Item, string Source);
