using System.ComponentModel.DataAnnotations;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Silo;

/// <summary>
/// Section <c>ReferenceData</c>: <c>Path</c>, the folder of the reference data files the silo loads (required;
/// <c>appsettings.json</c>: <c>ReferenceData</c>). Bound and checked as every other section
/// (<see cref="RequiredOptions.GetRequiredOptions{TOptions}"/>), but read at registration and by the maintenance
/// commands, not kept as <c>IOptions</c>: the files are loaded while the silo's services are registered.
/// </summary>
public sealed class ReferenceDataOptions
{
    public const string Section = "ReferenceData";

    [Required] public string Path { get; set; } = string.Empty;

    public static string ReadPath(IConfiguration configuration) => configuration.GetRequiredOptions<ReferenceDataOptions>(Section).Path;
}
