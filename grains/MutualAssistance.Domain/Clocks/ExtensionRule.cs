namespace MutualAssistance.Domain.Clocks;

/// <summary>How far a clock may be extended. Null limits mean "no legal cap".</summary>
public sealed record ExtensionRule
{
    public int? MaxCount { get; init; }
    public int? MaxDaysEach { get; init; }
    public int? MaxDaysTotal { get; init; }
    public bool EstimateRequired { get; init; }
}
