namespace MutualAssistance.Silo.ReferenceData;

/// <summary>Settings of the reference-change processor (section <c>ReferenceChanges</c>; all required).</summary>
public sealed class ReferenceChangeOptions
{
    /// <summary>How often every silo looks for closure changes, and the one holding the lock for recalculations due.</summary>
    public TimeSpan PollInterval { get; set; }

    /// <summary>How many requests are recalculated at once.</summary>
    public int Parallelism { get; set; }

    /// <summary>How many candidate requests are read per page.</summary>
    public int PageSize { get; set; }
}
