using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace MutualAssistance.Sealing;

/// <summary>
/// The keyed blind index of the persons concerned: a token is HMAC-SHA256, under the node's person-index key
/// (setting <c>Sealing:PersonIndexKey</c>, apart from the master keys), of one normalised word of a name
/// (<see cref="PersonNames"/>). The silo stores the tokens of a request's persons when it is filed here; a search
/// computes the tokens of the name asked for and finds the requests holding all of them. Without the key a token
/// says nothing; with the database alone, equal tokens show only that two requests share a name's word.
/// </summary>
public sealed class PersonIndex(byte[] key)
{
    /// <summary>The settings key of the index key (base64, or a file with <c>...Path</c>).</summary>
    public const string KeySetting = "Sealing:PersonIndexKey";

    /// <summary>The tokens of every word of every name.</summary>
    public ImmutableArray<byte[]> Tokens(IEnumerable<string> names) =>
        [.. names.SelectMany(name => PersonNames.Words(name)).Distinct(StringComparer.Ordinal).Select(Token)];

    public byte[] Token(string normalisedWord) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(normalisedWord));
}
