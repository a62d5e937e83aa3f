using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MutualAssistance.Load;

/// <summary>
/// Bearer tokens the API trusts: HS256 with the key that <c>dotnet user-jwts</c> keeps in the API's user secrets
/// (Development), or a key given on the command line.
/// </summary>
public sealed class Tokens(byte[] key, string issuer, string audience)
{
    private const string UserSecretsId = "mutual-assistance-api-6f1c2a8e";

    public static Tokens From(LoadOptions options)
    {
        var audience = options.Audience ?? options.Url.GetLeftPart(UriPartial.Authority);
        if (options.SigningKey is { } given)
        {
            return new Tokens(Convert.FromBase64String(given), options.Issuer, audience);
        }

        var secrets = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", UserSecretsId, "secrets.json");
        if (!File.Exists(secrets))
        {
            throw new InvalidOperationException(
                "No signing key: run `dotnet user-jwts create --project api/MutualAssistance.Api.Host` once (it creates the development key), or pass --signing-key.");
        }

        var json = JsonNode.Parse(File.ReadAllText(secrets))!;
        var value = json["Authentication:Schemes:Bearer:SigningKeys"]?.AsArray()
            .FirstOrDefault(k => k?["Issuer"]?.GetValue<string>() == options.Issuer)?["Value"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"{secrets} holds no signing key for issuer {options.Issuer}.");
        return new Tokens(Convert.FromBase64String(value), options.Issuer, audience);
    }

    public string For(string authority, string role, int caller = 0)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = $"load-{role}-{caller}@{authority}", ["authority"] = authority, ["role"] = role,
            ["iss"] = issuer, ["aud"] = audience, ["nbf"] = now - 60, ["iat"] = now - 60, ["exp"] = now + 86_400,
        }));
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}
