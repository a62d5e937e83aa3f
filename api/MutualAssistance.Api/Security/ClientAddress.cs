
namespace MutualAssistance.Api.Security;

/// <summary>
/// The address a call came from, as the connection shows it (an IPv4 address mapped into IPv6 as IPv4): what the
/// anonymous rate limit is partitioned by and what the consultation log counts unauthenticated refusals under. Null
/// when the server does not know it (an in-memory test server).
/// </summary>
public static class ClientAddress
{
    public static string? Of(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : null;

    /// <summary>The address, for a key or a message: "unknown" when there is none.</summary>
    public static string Named(HttpContext http) => Of(http) ?? "unknown";
}
