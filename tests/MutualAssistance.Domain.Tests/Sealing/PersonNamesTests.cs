using System.Text;
using MutualAssistance.Sealing;

namespace MutualAssistance.Domain.Tests;

/// <summary>How names are compared by the person search: case, diacritics and punctuation aside, each script as typed.</summary>
public sealed class PersonNamesTests
{
    [Theory]
    [InlineData("Gülnara IVANOVA-Smith", new[] { "gulnara", "ivanova", "smith" })]
    [InlineData("  José   María  O'Neill ", new[] { "jose", "maria", "o", "neill" })]
    [InlineData("Ёлкин Андрей", new[] { "елкин", "андреи" })]
    [InlineData("ЕЛКИН андрей", new[] { "елкин", "андреи" })]
    [InlineData("王小明", new[] { "王小明" })]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ", new[] { "fullwidth" })]
    [InlineData("---", new string[0])]
    public void A_name_becomes_its_normalised_words(string name, string[] words) =>
        Assert.Equal(words, PersonNames.Words(name));

    [Fact]
    public void Composed_and_decomposed_spellings_are_one_name() =>
        Assert.Equal(PersonNames.Words("Gu\u0308lnara"), PersonNames.Words("G\u00FClnara".Normalize(NormalizationForm.FormC)));

    [Fact]
    public void Tokens_depend_on_the_key_and_not_on_how_the_name_was_typed()
    {
        var index = new PersonIndex(new byte[32]);
        var other = new PersonIndex(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.Equal(index.Tokens(["Gülnara Ivanova"]), index.Tokens(["GULNARA ivanova"]));
        Assert.NotEqual(index.Tokens(["Gülnara Ivanova"]), other.Tokens(["Gülnara Ivanova"]));
        Assert.Equal(2, index.Tokens(["Ivanova", "Ivanova Gülnara"]).Length); // distinct words only
    }
}
