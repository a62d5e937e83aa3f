using Microsoft.Extensions.Logging;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Integration.Tests;

/// <summary>The API in memory, against a given database and cluster, trusting <see cref="TestTokens"/>.</summary>
public static class ApiFactory
{
    /// <summary>The service the API's client joins (a test cluster the API talks to must be started with it).</summary>
    public const string ServiceId = "mutual-assistance-tests";

    /// <param name="settings">More settings, applied last (e.g. trust in a development identity provider).</param>
    public static WebApplicationFactory<Program> Create(
        string connectionString, string clusterId, int permitsPerSecond = 10_000, int burst = 10_000, IReadOnlyDictionary<string, string>? settings = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing")
                .UseSetting(PostgresExtensions.ConnectionStringKey, connectionString)
                .UseSetting("Orleans:ClusterId", clusterId)
                .UseSetting("Orleans:ServiceId", ServiceId)
                .UseSetting("RateLimiting:PermitsPerSecond", permitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("RateLimiting:Burst", burst.ToString(System.Globalization.CultureInfo.InvariantCulture))
                // The in-memory server knows no client address: every anonymous call of every test shares one bucket.
                .UseSetting("RateLimiting:Anonymous:PermitsPerSecond", "10000")
                .UseSetting("RateLimiting:Anonymous:Burst", "10000")
                // Unauthenticated refusals are counted for a second, not a minute, before their entry is appended.
                .UseSetting("Audit:RefusalWindow", "00:00:01");
            foreach (var (key, value) in TestTokens.Settings)
            {
                web.UseSetting(key, value);
            }

            web.UseSetting(MutualAssistance.Sealing.PersonIndex.KeySetting, MutualAssistance.Testing.SealingTestSettings.PersonIndexKey);
            web.UseSetting(MutualAssistance.Notifications.WebhookTarget.RequireHttpsSetting, "false"); // the tests' receivers are http
            web.UseSetting(MutualAssistance.Notifications.WebhookHosts.AllowedHostsSetting + ":0", MutualAssistance.Testing.NodeTestSettings.WebhookReceiverHost);
            web.ConfigureLogging(logging => logging.AddProvider(MutualAssistance.Testing.CapturedTelemetry.Logs));
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
        });

    public static HttpClient As(this WebApplicationFactory<Program> api, string authority, string role)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(authority, role));
        return client;
    }
}
