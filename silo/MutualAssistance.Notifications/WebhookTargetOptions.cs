using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Notifications;

/// <summary>
/// What a webhook may point at (section <c>Notifications:Webhooks</c>, read by the silo and the API): whether it must be
/// HTTPS (<c>RequireHttps</c>, for <see cref="WebhookTarget"/>) and the hosts trusted although not public
/// (<c>AllowedHosts</c>, for <see cref="WebhookHosts"/>; present even when empty). Both required on both hosts, as
/// docs/configuration.md says; bound and validated at start (<see cref="RequiredOptions"/>).
/// </summary>
public sealed class WebhookTargetOptions
{
    public const string Section = "Notifications:Webhooks";

    [Required] public bool RequireHttps { get; set; }

    [Required] public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Each allowed host must be a host name or an IP address.</summary>
    public static IEnumerable<string> Problems(WebhookTargetOptions options) =>
        options.AllowedHosts
            .Select((host, i) => (Host: host, Key: $"{WebhookHosts.AllowedHostsSetting}:{i}"))
            .Where(entry => !WebhookHosts.IsHost(entry.Host))
            .Select(entry => $"Setting '{entry.Key}' is '{entry.Host}', not a host name or an IP address.");
}

/// <summary>Registration of the webhook target settings, one place for the silo and the API.</summary>
public static class WebhookTargetServices
{
    /// <summary>The options and the <see cref="WebhookHosts"/> built from them (unless one is given).</summary>
    public static IServiceCollection AddWebhookHosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<WebhookTargetOptions>(configuration, WebhookTargetOptions.Section, WebhookTargetOptions.Problems);
        services.TryAddSingleton(sp => new WebhookHosts(sp.GetRequiredService<IOptions<WebhookTargetOptions>>().Value.AllowedHosts));
        return services;
    }

    /// <summary><see cref="AddWebhookHosts"/> and the <see cref="WebhookTarget"/> the API checks a subscription with.</summary>
    public static IServiceCollection AddWebhookTarget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWebhookHosts(configuration);
        services.TryAddSingleton(sp => new WebhookTarget(sp.GetRequiredService<IOptions<WebhookTargetOptions>>().Value.RequireHttps, sp.GetRequiredService<WebhookHosts>()));
        return services;
    }
}
