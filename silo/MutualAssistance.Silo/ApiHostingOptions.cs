using System.ComponentModel.DataAnnotations;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Silo;

/// <summary>
/// Section <c>Api</c>: <c>Hosting</c>, the hosting shape (<see cref="SiloHostingExtensions.ApiHostingSetting"/>),
/// required and one of two words. Bound and checked as every other section
/// (<see cref="RequiredOptions.GetRequiredOptions{TOptions}"/>), but read at registration and not kept as
/// <c>IOptions</c>: it decides which services the silo registers at all.
/// </summary>
public sealed class ApiHostingOptions
{
    public const string Section = "Api";

    [Required] public string Hosting { get; set; } = string.Empty;

    public bool CoHosted => Hosting == SiloHostingExtensions.CoHosted;

    public static ApiHostingOptions Read(IConfiguration configuration) => configuration.GetRequiredOptions<ApiHostingOptions>(Section, Problems);

    /// <summary><c>co-hosted</c> or <c>separate</c>, and nothing else.</summary>
    public static IEnumerable<string> Problems(ApiHostingOptions options)
    {
        if (options.Hosting is not (SiloHostingExtensions.CoHosted or SiloHostingExtensions.Separate))
        {
            yield return $"Setting '{SiloHostingExtensions.ApiHostingSetting}' must be '{SiloHostingExtensions.CoHosted}' or '{SiloHostingExtensions.Separate}', not '{options.Hosting}'.";
        }
    }
}
