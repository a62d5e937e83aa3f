using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MutualAssistance.Integration.Tests;

/// <summary>JWTs signed the way the API under test is configured to trust (and some it must not).</summary>
public static class TestTokens
{
    public const string Issuer = "ma-tests";
    public const string Audience = "mutual-assistance";

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] OtherKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The API settings that make it trust <see cref="For"/>'s tokens.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(Key),
    };

    public static string For(string authority, string role, string? subject = null, DateTime? expires = null, bool wrongKey = false, bool withAuthority = true)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject ?? $"{role}@{authority}", ["role"] = role };
        if (withAuthority)
        {
            claims["authority"] = authority;
        }

        return Minted(claims, expires, wrongKey);
    }

    /// <summary>A token minted by hand with exactly these claims (an array value makes a claim repeated), signed with
    /// the trusted key, the other one (<paramref name="wrongKey"/>) or <paramref name="key"/>.</summary>
    public static string Minted(Dictionary<string, object> claims, DateTime? expires = null, bool wrongKey = false, SecurityKey? key = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = expiry.AddHours(-2),
            NotBefore = expiry.AddHours(-2),
            Expires = expiry,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? new SymmetricSecurityKey(wrongKey ? OtherKey : Key), SecurityAlgorithms.HmacSha256),
        });
    }
}
