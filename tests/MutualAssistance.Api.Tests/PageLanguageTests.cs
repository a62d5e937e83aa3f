using System.Text.Json;
using System.Text.RegularExpressions;
using MutualAssistance.Api.Page;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Tests;

/// <summary>
/// The page's languages (wwwroot/lang-*.json, as the API serves them): every key in every language, each plural
/// text with the forms its language needs, the same placeholders everywhere, every key the page uses present, and a
/// label for every value of the contract the page shows (statuses, actions, their fields, clock kinds...).
/// </summary>
public sealed partial class PageLanguageTests
{
    /// <summary>CLDR plural categories of cardinal numbers, per language.</summary>
    private static readonly Dictionary<string, string[]> PluralForms = new()
    {
        ["en"] = ["one", "other"],
        ["ru"] = ["few", "many", "one", "other"],
        ["zh"] = ["other"],
    };

    private static JsonElement Language(string code)
    {
        var file = ApiPage.Files.GetFileInfo($"lang-{code}.json");
        Assert.True(file.Exists, $"lang-{code}.json is not served");
        using var stream = file.CreateReadStream();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private static string Page(string name)
    {
        using var reader = new StreamReader(ApiPage.Files.GetFileInfo(name).CreateReadStream());
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> Texts(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Select(p => p.Value.GetString()!) : [value.GetString()!];

    private static SortedSet<string> Placeholders(JsonElement value) => [.. Texts(value).SelectMany(t => Placeholder().Matches(t).Select(m => m.Value))];

    public static TheoryData<string> Translations() => ["ru", "zh"];

    [Theory]
    [MemberData(nameof(Translations))]
    public void A_translation_has_every_key_of_english_and_no_other(string code)
    {
        var english = Language("en").EnumerateObject().Select(p => p.Name).ToHashSet();
        var translated = Language(code).EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Empty(english.Except(translated).Select(k => $"missing in {code}: {k}"));
        Assert.Empty(translated.Except(english).Select(k => $"only in {code}: {k}"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("zh")]
    public void Every_text_is_filled_and_plural_texts_have_the_forms_of_their_language(string code)
    {
        var english = Language("en");
        foreach (var entry in Language(code).EnumerateObject())
        {
            Assert.All(Texts(entry.Value), text => Assert.False(string.IsNullOrWhiteSpace(text), $"{code}: {entry.Name} is empty"));
            var pluralInEnglish = english.TryGetProperty(entry.Name, out var source) && source.ValueKind == JsonValueKind.Object;
            if (pluralInEnglish || entry.Value.ValueKind == JsonValueKind.Object)
            {
                Assert.True(entry.Value.ValueKind == JsonValueKind.Object, $"{code}: {entry.Name} is a plural text in English and must be one here");
                Assert.Equal(PluralForms[code], entry.Value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            }

            if (source.ValueKind != JsonValueKind.Undefined)
            {
                Assert.True(Placeholders(source).SetEquals(Placeholders(entry.Value)), $"{code}: {entry.Name} has placeholders {string.Join(",", Placeholders(entry.Value))}, English {string.Join(",", Placeholders(source))}");
            }
        }
    }

    [Fact]
    public void Every_key_the_page_uses_exists()
    {
        var english = Language("en");
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in StaticKey().Matches(Page("index.html")))
        {
            used.Add(match.Groups[1].Value);
        }

        foreach (var module in ApiPage.Files.GetDirectoryContents("").Where(f => f.Name.EndsWith(".js", StringComparison.Ordinal)))
        {
            foreach (Match match in ScriptKey().Matches(Page(module.Name)))
            {
                used.Add(match.Groups[1].Value);
            }
        }

        Assert.True(used.Count > 100, $"only {used.Count} keys found in the page: the patterns no longer match its code");
        Assert.Empty(used.Where(key => !english.TryGetProperty(key, out _)).Select(key => $"used but missing: {key}"));
    }

    [Fact]
    public void Every_value_of_the_contract_the_page_shows_has_a_label()
    {
        var english = Language("en");
        var wanted = new List<string>();
        void Labels<T>(string kind) where T : struct, Enum => wanted.AddRange(WireNames.All<T>().Select(v => $"{kind}.{v}"));
        Labels<RequestStatus>("status");
        Labels<RequestAction>("action");
        Labels<RequestAction>("actionHelp");
        Labels<ClockKind>("clockKind");
        Labels<ClockState>("clockState");
        Labels<Side>("side");
        Labels<AssistanceType>("assistanceType");
        Labels<Urgency>("urgency");
        Labels<Role>("role");
        wanted.AddRange(Enum.GetValues<RequestAction>().SelectMany(action => ActionFields.Of(action)).Select(f => $"actionField.{f.Name}").Distinct());
        Assert.Empty(wanted.Where(key => !english.TryGetProperty(key, out _)).Select(key => $"no label: {key}"));
    }

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"data-i18n(?:-[a-z-]+)?=""([^""]+)""")]
    private static partial Regex StaticKey();

    /// <summary>t('key', ...) and t("key") with a literal key; keys built at run time are covered by the contract test.</summary>
    [GeneratedRegex(@"\bt\(\s*['""]([\w.-]+)['""]")]
    private static partial Regex ScriptKey();
}
