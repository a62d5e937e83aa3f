using Microsoft.Extensions.FileProviders;

namespace MutualAssistance.Api;

/// <summary>
/// The dashboard page (<c>wwwroot/</c>), embedded in this assembly and served from it, so that it is the same
/// page wherever the API runs (its own host or a silo), whatever the content root, built or published.
/// </summary>
public static class ApiPage
{
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(ApiPage).Assembly, "MutualAssistance.Api.wwwroot");
}
