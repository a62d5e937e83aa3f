using System.Net;
using MutualAssistance.Notifications;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Which addresses a webhook may reach (<see cref="PublicAddress"/>, <see cref="WebhookHosts"/>) and the webhook
/// client's connection (<see cref="WebhookConnector"/>), which resolves the host again and connects only where the
/// rule permits: a name public when subscribed and pointed inside later (DNS rebinding) reaches nothing.
/// </summary>
public sealed class WebhookHostsTests
{
    private const string Name = "receiver.example";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.2", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)] // NAT64 of 10.0.0.1
    [InlineData("2002:a00:1::1", false)] // 6to4 of 10.0.0.1
    [InlineData("2001::1", false)] // Teredo
    [InlineData("2001:db8::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("ff02::1", false)]
    public void Only_an_address_of_the_internet_at_large_is_public(string address, bool isPublic) =>
        Assert.Equal(isPublic, PublicAddress.Is(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34", true)]
    [InlineData("93.184.216.34,127.0.0.1", false)] // one internal address is one too many
    [InlineData("10.0.0.1", false)]
    public async Task A_name_is_permitted_when_each_of_its_addresses_is_public(string resolved, bool permitted)
    {
        var hosts = new WebhookHosts([], Resolving(() => resolved));
        Assert.Equal(permitted, (await hosts.AddressesAsync(Name, Cancel)).Length > 0);
    }

    [Theory]
    [InlineData(Name, Name)]
    [InlineData("RECEIVER.example.", Name)]
    [InlineData("::1", "[::1]")]
    [InlineData("127.0.0.1", "2130706433")]
    public async Task An_allow_listed_host_is_permitted_whatever_it_resolves_to(string allowed, string host)
    {
        var hosts = new WebhookHosts([allowed], Resolving(() => "127.0.0.1"));
        Assert.NotEmpty(await hosts.AddressesAsync(new Uri($"http://{host}/").IdnHost, Cancel));
    }

    [Fact]
    public async Task A_name_subscribed_while_public_and_pointed_at_an_internal_address_later_is_not_connected_to()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var resolved = "93.184.216.34";
        var hosts = new WebhookHosts([], Resolving(() => resolved));
        var url = new Uri($"http://{Name}:{receiver.Port}/hooks/rebound");
        Assert.Equal((url, null), await new WebhookTarget(requireHttps: false, hosts).CheckAsync(url.ToString(), Cancel));

        resolved = NodeTestSettings.WebhookReceiverHost; // the name now leads to this machine
        using var client = new HttpClient(new WebhookConnector(hosts).Handler());
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(url, new StringContent("{}"), Cancel));
        Assert.Contains("not public", refused.ToString(), StringComparison.Ordinal);
        Assert.Empty(receiver.To("rebound"));
    }

    [Fact]
    public async Task The_client_connects_to_the_address_it_resolved_when_the_host_is_trusted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var hosts = new WebhookHosts([Name], Resolving(() => NodeTestSettings.WebhookReceiverHost));
        using var client = new HttpClient(new WebhookConnector(hosts).Handler());

        var answered = await client.PostAsync(new Uri($"http://{Name}:{receiver.Port}/hooks/trusted"), new StringContent("{}"), Cancel);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Single(receiver.To("trusted"));
    }

    /// <summary>A resolver answering what <paramref name="addresses"/> says now (comma-separated), whatever the name.</summary>
    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolving(Func<string> addresses) =>
        (_, _) => Task.FromResult(addresses().Split(',').Select(IPAddress.Parse).ToArray());
}
