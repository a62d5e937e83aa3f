using System.ComponentModel.DataAnnotations;

namespace MutualAssistance.Silo.ReferenceData;

/// <summary>
/// Settings of the reference-change processor (section <c>ReferenceChanges</c>; all required), bound and validated at
/// start (<see cref="ServiceDefaults.RequiredOptions"/>).
/// </summary>
public sealed class ReferenceChangeOptions
{
    public const string Section = "ReferenceChanges";

    /// <summary>How often every silo looks for closure changes, and the one holding the lock for recalculations due.</summary>
    [Required] public TimeSpan PollInterval { get; set; }

    /// <summary>How many requests are recalculated at once.</summary>
    [Required] public int Parallelism { get; set; }

    /// <summary>How many candidate requests are read per page.</summary>
    [Required] public int PageSize { get; set; }
}
