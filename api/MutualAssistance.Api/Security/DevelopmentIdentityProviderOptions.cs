namespace MutualAssistance.Api.Security;

/// <summary>
/// Section <c>Authentication:Schemes:IdentityProvider</c> as the API reads it itself (<see cref="DevelopmentIdentityProvider"/>):
/// whether the development provider is trusted at all (<c>Authority</c>, optional), and the audiences it must give
/// then. Nothing is [Required]: without an authority the section is ignored, and <c>ValidAudiences</c> is required only
/// with one, which <see cref="DevelopmentIdentityProvider"/> checks. (The JwtBearer scheme binds the same section to
/// its own options too, as ASP.NET Core does for every scheme.)
/// </summary>
public sealed class DevelopmentIdentityProviderOptions
{
    public string? Authority { get; set; }

    public List<string> ValidAudiences { get; set; } = [];
}
