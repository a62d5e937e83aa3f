using System.Globalization;
using MutualAssistance.ServiceDefaults;

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

    /// <summary>Reads the section; a missing setting stops start-up with its name.</summary>
    public static ReferenceChangeOptions Read(IConfiguration configuration) => new()
    {
        PollInterval = TimeSpan.Parse(configuration.GetRequired("ReferenceChanges:PollInterval"), CultureInfo.InvariantCulture),
        Parallelism = int.Parse(configuration.GetRequired("ReferenceChanges:Parallelism"), CultureInfo.InvariantCulture),
        PageSize = int.Parse(configuration.GetRequired("ReferenceChanges:PageSize"), CultureInfo.InvariantCulture),
    };
}
