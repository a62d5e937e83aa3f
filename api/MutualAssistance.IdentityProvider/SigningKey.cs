using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// The RSA key that signs the tokens, kept in a PEM file (PKCS#8, mode 600) so that the API keeps trusting tokens
/// across restarts of the provider; made on the first start when the file does not exist yet. Its key id is its JWK
/// thumbprint (RFC 7638): the same key is the same <c>kid</c> in every run.
/// </summary>
public static class SigningKey
{
    public static RsaSecurityKey LoadOrCreate(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(path, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            }
        }

        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
