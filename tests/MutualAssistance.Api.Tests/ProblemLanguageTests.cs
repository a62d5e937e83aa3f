using System.Globalization;
using MutualAssistance.Api.Localization;

namespace MutualAssistance.Api.Tests;

/// <summary>Every problem text the API owns exists in English, Russian and Chinese, and the last two are translations.</summary>
public sealed class ProblemLanguageTests
{
    public static TheoryData<string> Keys() => [.. ProblemText.All];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_key_has_a_text_in_every_language(string key)
    {
        var english = ProblemLanguage.Exactly(key, CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(english), $"{key}: no English text (ProblemText.resx)");
        foreach (var language in new[] { "ru", "zh" })
        {
            var text = ProblemLanguage.Exactly(key, new CultureInfo(language));
            Assert.False(string.IsNullOrWhiteSpace(text), $"{key}: no text in ProblemText.{language}.resx");
            Assert.NotEqual(english, text);
        }
    }

    [Fact]
    public void The_languages_offered_are_english_russian_and_chinese() =>
        Assert.Equal(["en", "ru", "zh"], ProblemLanguage.Languages.Select(l => l.Name));
}
