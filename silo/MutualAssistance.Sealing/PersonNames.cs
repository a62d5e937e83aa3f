using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace MutualAssistance.Sealing;

/// <summary>
/// How a person's name is compared: compatibility-decomposed (NFKD), diacritics dropped (é → e, ё → е, й → и),
/// lower-cased, split into words on anything that is not a letter or digit. Scripts are kept as typed: Latin,
/// Cyrillic and Chinese names match the same script (no transliteration; a name recorded in Cyrillic is found by
/// its Cyrillic spelling). Chinese written without spaces is one word.
/// </summary>
public static class PersonNames
{
    /// <summary>The distinct words of <paramref name="name"/>, normalised; empty when it has none.</summary>
    public static ImmutableArray<string> Words(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormKD);
        var words = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return words.Distinct(StringComparer.Ordinal).ToImmutableArray();

        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString().Normalize(NormalizationForm.FormC));
                word.Clear();
            }
        }
    }
}
