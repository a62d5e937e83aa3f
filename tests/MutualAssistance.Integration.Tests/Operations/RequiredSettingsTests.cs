using MutualAssistance.Testing;
using MutualAssistance.Notifications;
using MutualAssistance.Sealing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MutualAssistance.Api;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo;

namespace MutualAssistance.Integration.Tests;

/// <summary>A missing required setting stops start-up, and the error names it.</summary>
public sealed class RequiredSettingsTests
{
    private static readonly Dictionary<string, string?> Complete = new()
    {
        [PostgresExtensions.ConnectionStringKey] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none",
        ["Orleans:ClusterId"] = "c",
        ["Orleans:ServiceId"] = "s",
        ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
        ["Orleans:SiloPort"] = "11111",
        ["Orleans:GatewayPort"] = "30000",
        ["ReferenceData:Path"] = "ReferenceData",
        ["ReferenceChanges:PollInterval"] = "00:00:02",
        ["ReferenceChanges:Parallelism"] = "16",
        ["ReferenceChanges:PageSize"] = "500",
        ["Api:Hosting"] = "separate",
        ["Node:Id"] = "ALL",
        ["Node:Authorities"] = "*",
        ["Exchange:MaxMessageBytes"] = "1048576",
        ["Exchange:PermitsPerSecond"] = "500",
        ["Exchange:Burst"] = "1000",
        ["Exchange:PollInterval"] = "00:00:01",
        ["Exchange:FirstRetry"] = "00:00:00.500",
        ["Exchange:MaxBackoff"] = "00:00:30",
        ["Exchange:SendTimeout"] = "00:00:05",
        ["Exchange:CommandWait"] = "00:00:03",
        ["Exchange:Parallelism"] = "8",
        ["Exchange:UnverifiedPermitsPerSecond"] = "1000",
        ["Exchange:UnverifiedBurst"] = "2000",
        ["Exchange:DegradedAfter"] = "00:15:00",
        ["Sealing:MasterKeys:0:Version"] = "1",
        ["Sealing:MasterKeys:0:Key"] = MutualAssistance.Testing.SealingTestSettings.MasterKeyV1,
        ["Sealing:ActiveMasterKey"] = "1",
        ["Sealing:PersonIndexKey"] = MutualAssistance.Testing.SealingTestSettings.PersonIndexKey,
        ["Retention:Default"] = "P5Y",
        ["Retention:SweepInterval"] = "01:00:00",
        ["Retention:BatchSize"] = "500",
        ["Notifications:Webhooks:PollInterval"] = "00:00:01",
        ["Notifications:Webhooks:Timeout"] = "00:00:10",
        ["Notifications:Webhooks:FirstRetry"] = "00:00:05",
        ["Notifications:Webhooks:MaxBackoff"] = "01:00:00",
        ["Notifications:Webhooks:RequireHttps"] = "true",
        ["Notifications:Webhooks:AllowedHosts"] = "", // present and empty, as appsettings.json's []
        ["Notifications:Email:Enabled"] = "false",
    };

    [Theory]
    [InlineData("ConnectionStrings:Postgres")]
    [InlineData("Orleans:ClusterId")]
    [InlineData("Orleans:ServiceId")]
    [InlineData("Orleans:AdvertisedIPAddress")]
    [InlineData("Orleans:SiloPort")]
    [InlineData("Orleans:GatewayPort")]
    [InlineData("ReferenceData:Path")]
    [InlineData("ReferenceChanges:PollInterval")]
    [InlineData("ReferenceChanges:Parallelism")]
    [InlineData("ReferenceChanges:PageSize")]
    [InlineData("Api:Hosting")]
    [InlineData("Node:Id")]
    [InlineData("Node:Authorities")]
    [InlineData("Exchange:MaxMessageBytes")]
    [InlineData("Exchange:SendTimeout")]
    [InlineData("Exchange:UnverifiedBurst")]
    [InlineData("Exchange:DegradedAfter")]
    [InlineData("Sealing:MasterKeys:0:Version")]
    [InlineData("Sealing:ActiveMasterKey")]
    [InlineData("Sealing:MasterKeys:0:Key", "Sealing:MasterKeys:0:KeyPath")]
    [InlineData("Sealing:PersonIndexKey", "Sealing:PersonIndexKeyPath")]
    [InlineData("Retention:Default")]
    [InlineData("Retention:SweepInterval")]
    [InlineData("Retention:BatchSize")]
    [InlineData("Notifications:Webhooks:PollInterval")]
    [InlineData("Notifications:Webhooks:RequireHttps")]
    [InlineData("Notifications:Webhooks:AllowedHosts")]
    [InlineData("Notifications:Email:Enabled")]
    public void The_silo_names_the_missing_setting(string missing, string? named = null)
    {
        var builder = Builder(missing);
        var error = Assert.Throws<MissingSettingException>(() => builder.AddMutualAssistanceSilo());
        missing = named ?? missing;
        Assert.Equal(missing, error.Key);
        Assert.Contains(missing.Replace(":", "__", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnectionStrings:Postgres")]
    [InlineData("Orleans:ClusterId")]
    [InlineData("Orleans:ServiceId")]
    public void The_api_names_the_missing_setting(string missing)
    {
        var builder = Builder(missing);
        var error = Assert.Throws<MissingSettingException>(() => builder.AddMutualAssistanceApi());
        Assert.Equal(missing, error.Key);
    }

    [Fact]
    public void The_api_names_the_missing_person_index_key()
    {
        var builder = Builder(PersonIndex.KeySetting);
        WithApiSettings(builder);
        var error = Assert.Throws<MissingSettingException>(() => builder.AddMutualAssistanceApi());
        Assert.Equal(PersonIndex.KeySetting + "Path", error.Key);
    }

    [Fact]
    public void The_api_names_the_missing_webhook_allow_list()
    {
        var builder = Builder(WebhookHosts.AllowedHostsSetting);
        WithApiSettings(builder);
        var error = Assert.Throws<MissingSettingException>(() => builder.AddMutualAssistanceApi());
        Assert.Equal(WebhookHosts.AllowedHostsSetting, error.Key);
    }

    [Theory]
    [InlineData("https://receiver.example/")]
    [InlineData("receiver example")]
    [InlineData("")]
    public void A_webhook_host_that_is_no_host_is_refused_by_name(string value)
    {
        var builder = Builder(null);
        builder.Configuration[WebhookHosts.AllowedHostsSetting + ":0"] = "receiver.example";
        builder.Configuration[WebhookHosts.AllowedHostsSetting + ":1"] = value;
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains(WebhookHosts.AllowedHostsSetting + ":1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_256_bits_is_refused_by_name()
    {
        var builder = Builder(null);
        builder.Configuration["Sealing:MasterKeys:0:Key"] = Convert.ToBase64String(new byte[16]);
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains("Sealing:MasterKeys:0:Key", error.Message, StringComparison.Ordinal);
        Assert.Contains("32-byte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_master_key_that_is_not_listed_is_refused_by_name()
    {
        var builder = Builder(null);
        builder.Configuration["Sealing:ActiveMasterKey"] = "2";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains("Sealing:ActiveMasterKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Retention:Default", "five years")]
    [InlineData("Retention:Default", "-P5Y")]
    [InlineData("Retention:Rules:0:Period", "P0D")]
    [InlineData("Retention:Rules:0:LegalBasis", "hague")]
    public void A_retention_period_or_basis_that_is_not_one_is_refused_by_name(string setting, string value)
    {
        var builder = Builder(null);
        builder.Configuration["Retention:Rules:0:State"] = "CN";
        builder.Configuration["Retention:Rules:0:LegalBasis"] = TestReferenceData.TreatyBasis;
        builder.Configuration["Retention:Rules:0:Period"] = "P10Y";
        builder.Configuration[setting] = value;
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_retention_rules_for_the_same_state_and_basis_are_refused()
    {
        var builder = Builder(null);
        foreach (var i in new[] { "0", "1" })
        {
            builder.Configuration[$"Retention:Rules:{i}:State"] = "CN";
            builder.Configuration[$"Retention:Rules:{i}:Period"] = "P10Y";
        }

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains("Retention:Rules", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_that_is_not_a_port_is_refused_by_name()
    {
        var builder = Builder(null);
        builder.Configuration["Orleans:GatewayPort"] = "seventy";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains("Orleans:GatewayPort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hosting_shape_that_is_not_one_is_refused_by_name()
    {
        var builder = Builder(null);
        builder.Configuration["Api:Hosting"] = "both";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceSilo());
        Assert.Contains("Api:Hosting", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RateLimiting:PermitsPerSecond")]
    [InlineData("RateLimiting:Anonymous:PermitsPerSecond")]
    [InlineData("RateLimiting:Anonymous:Burst")]
    [InlineData("Authentication:ClockSkew")]
    [InlineData("Authentication:Schemes:Bearer:Authority")]
    public void A_co_hosted_silo_names_the_missing_api_setting(string missing)
    {
        var builder = Builder(null);
        builder.Configuration["Api:Hosting"] = "co-hosted";
        WithApiSettings(builder);
        builder.Configuration[missing] = null;
        var error = Assert.Throws<MissingSettingException>(() => builder.AddMutualAssistanceSilo());
        Assert.Equal(missing, error.Key);
    }

    [Theory]
    [InlineData("Audit:PurposeRequired", null, "'Audit:PurposeRequired'")]
    [InlineData("Audit:RefusalWindow", null, "'Audit:RefusalWindow'")]
    [InlineData("Audit:RefusalWindow", "00:00:00", "'Audit:RefusalWindow'")]
    [InlineData("Audit:RefusalWindow", "02:00:00", "'Audit:RefusalWindow'")]
    public void The_api_stops_at_start_up_naming_a_missing_or_wrong_audit_setting(string setting, string? value, string named)
    {
        var builder = Builder(null);
        WithApiSettings(builder);
        builder.Configuration[setting] = value;
        builder.AddMutualAssistanceApiServices();
        using var services = builder.Services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_starts_with_its_audit_settings()
    {
        var given = Builder(null);
        WithApiSettings(given);
        given.AddMutualAssistanceApiServices();
        using var valid = given.Services.BuildServiceProvider();
        valid.GetRequiredService<IStartupValidator>().Validate();
        Assert.False(valid.GetRequiredService<IOptions<MutualAssistance.Api.Audit.AuditOptions>>().Value.RequiresPurpose);
        Assert.Equal(TimeSpan.FromMinutes(1), valid.GetRequiredService<IOptions<MutualAssistance.Api.Audit.AuditOptions>>().Value.Window);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Staging")]
    [InlineData("Production")]
    [InlineData("Qualification")]
    public void The_api_refuses_the_development_identity_provider_outside_Development(string environment)
    {
        var builder = Builder(null);
        WithApiSettings(builder);
        builder.Configuration[MutualAssistance.Api.Security.DevelopmentIdentityProvider.Section + ":Authority"] = "http://127.0.0.1:5081/";
        builder.Configuration[MutualAssistance.Api.Security.DevelopmentIdentityProvider.Section + ":ValidAudiences:0"] = "a";
        builder.Environment.EnvironmentName = environment;
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMutualAssistanceApiServices());
        Assert.Contains($"'{MutualAssistance.Api.Security.DevelopmentIdentityProvider.Section}:Authority'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Development only", error.Message, StringComparison.Ordinal);

        var development = Builder(null);
        WithApiSettings(development);
        development.Configuration[MutualAssistance.Api.Security.DevelopmentIdentityProvider.Section + ":Authority"] = "http://127.0.0.1:5081/";
        development.Configuration[MutualAssistance.Api.Security.DevelopmentIdentityProvider.Section + ":ValidAudiences:0"] = "a";
        development.Environment.EnvironmentName = Microsoft.Extensions.Hosting.Environments.Development;
        development.AddMutualAssistanceApiServices();
    }

    /// <summary>The API's own required settings (authentication, rate limits, audit), beside <see cref="Complete"/>.</summary>
    private static void WithApiSettings(WebApplicationBuilder builder)
    {
        builder.Configuration["RateLimiting:PermitsPerSecond"] = "50";
        builder.Configuration["RateLimiting:Burst"] = "100";
        builder.Configuration["RateLimiting:Anonymous:PermitsPerSecond"] = "5";
        builder.Configuration["RateLimiting:Anonymous:Burst"] = "20";
        builder.Configuration["Authentication:ClockSkew"] = "00:00:30";
        builder.Configuration["Authentication:Schemes:Bearer:ValidAudiences:0"] = "a";
        builder.Configuration["Authentication:Schemes:Bearer:Authority"] = "https://idp.example";
        builder.Configuration["Audit:PurposeRequired"] = "false";
        builder.Configuration["Audit:RefusalWindow"] = "00:01:00";
    }

    private static WebApplicationBuilder Builder(string? missing)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(Complete.Where(setting => setting.Key != missing));
        return builder;
    }
}
