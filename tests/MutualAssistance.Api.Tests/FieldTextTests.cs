using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using MutualAssistance.Api.Localization;
using MutualAssistance.Contracts;

namespace MutualAssistance.Api.Tests;

/// <summary>Every field message of the rules' catalogue is worded in Russian and Chinese, with the same placeholders, and nothing else is.</summary>
public sealed partial class FieldTextTests
{
    public static TheoryData<string, string> KeysAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var key in FieldMessages.Keys)
        {
            data.Add(key, "ru");
            data.Add(key, "zh");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeysAndLanguages))]
    public void Each_message_is_worded_in_the_language_with_the_placeholders_of_the_english(string key, string language)
    {
        var text = FieldText.Exactly(key, new CultureInfo(language));
        Assert.False(string.IsNullOrWhiteSpace(text), $"{key}: no text in FieldText.{language}.resx");
        var english = FieldMessages.English(key);
        Assert.NotEqual(english, text);
        Assert.Equal(Placeholders(english), Placeholders(text!));
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("zh")]
    public void A_translation_has_no_key_the_catalogue_lacks(string language)
    {
        var set = new ResourceManager(typeof(FieldText).FullName!, typeof(FieldText).Assembly).GetResourceSet(new CultureInfo(language), true, false)!;
        var keys = set.Cast<DictionaryEntry>().Select(e => (string)e.Key).ToList();
        Assert.Empty(keys.Except(FieldMessages.Keys));
    }

    [Fact]
    public void A_message_is_worded_with_its_arguments_in_the_callers_language_and_in_english_otherwise()
    {
        var message = FieldMessages.AtMostCharacters(200);
        Assert.Equal("At most 200 characters.", message.ToString());
        Assert.Equal("Не более 200 символов.", FieldText.Of(message, new CultureInfo("ru-RU")));
        Assert.Equal("最多 200 个字符。", FieldText.Of(message, new CultureInfo("zh-CN")));
        Assert.Equal("At most 200 characters.", FieldText.Of(message, new CultureInfo("fr")));
        Assert.Equal("At most 200 characters.", FieldText.Of(message, CultureInfo.InvariantCulture));
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
