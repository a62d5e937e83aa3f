using NodaTime;

namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// Where one line of the catalogue comes from: the citation, the official address, the day someone read it there
/// (null when no one has), and how sure it is: <see cref="SourceConfidence.Checked"/> (read in the source) or
/// <see cref="SourceConfidence.Lead"/> (a secondary source or memory, to be confirmed).
/// </summary>
public sealed record SourceReference(string Citation, string? Url, LocalDate? Checked, SourceConfidence Confidence);

public enum SourceConfidence
{
    Checked,
    Lead,
}
