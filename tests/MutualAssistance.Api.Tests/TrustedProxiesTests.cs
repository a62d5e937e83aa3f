using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MutualAssistance.Api.Security;

namespace MutualAssistance.Api.Tests;

/// <summary>
/// The client address the anonymous rate limit and the refusal counts go by: behind a proxy named in
/// <c>Network:TrustedProxies</c>, the address it forwarded; from anyone else, or with none named, the connection's own.
/// </summary>
[Trait("Category", "Fast")]
public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", "203.0.113.7")] // forwarded by a proxy of the trusted network
    [InlineData("10.1.2.3", "10.1.2.3", "203.0.113.7")] // by the trusted proxy
    [InlineData("10.0.0.0/8", "192.0.2.1", "192.0.2.1")] // a caller that sends the header itself is not believed
    [InlineData(null, "10.1.2.3", "10.1.2.3")] // no proxy trusted: nothing forwarded is believed
    public async Task The_client_address_is_the_forwarded_one_only_behind_a_trusted_proxy(string? trusted, string connection, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(trusted is null ? [] : [KeyValuePair.Create<string, string?>(TrustedProxies.Section + ":0", trusted)]).Build();
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(connection);
        http.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        if (TrustedProxies.From(Bound(configuration)) is { } options)
        {
            await new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance, Options.Create(options)).Invoke(http);
        }

        Assert.Equal(expected, ClientAddress.Of(http));
    }

    [Fact]
    public void A_proxy_that_is_not_an_address_or_a_network_is_refused_by_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create<string, string?>(TrustedProxies.Section + ":0", "ingress.local")]).Build();
        var error = Assert.Throws<InvalidOperationException>(() => Bound(configuration));
        Assert.Contains("Network:TrustedProxies:0", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The settings as the API gets them: bound, checked at registration, then read from the container.</summary>
    private static TrustedProxiesOptions Bound(IConfiguration configuration)
    {
        using var services = TrustedProxies.AddTo(new ServiceCollection(), configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value;
    }
}
