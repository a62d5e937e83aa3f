using System.Collections.Immutable;
using System.Globalization;
using System.Resources;
using MutualAssistance.Contracts;

namespace MutualAssistance.Api.Localization;

/// <summary>
/// The rules' field messages in the caller's language: English from the contracts' catalogue
/// (<see cref="FieldMessages"/>), Russian and Chinese from <c>FieldText.ru.resx</c> and <c>.zh.resx</c>, keyed by the
/// message's key and filled with its arguments. The field names themselves never change.
/// </summary>
public static class FieldText
{
    private static readonly ResourceManager Texts = new(typeof(FieldText).FullName!, typeof(FieldText).Assembly);

    /// <summary>The wording of <paramref name="key"/> in <paramref name="language"/> itself, or null (no fallback).</summary>
    public static string? Exactly(string key, CultureInfo language) =>
        Texts.GetResourceSet(language, createIfNotExists: true, tryParents: false)?.GetString(key);

    public static string Of(FieldMessage message, CultureInfo language)
    {
        for (var culture = language; !Equals(culture, CultureInfo.InvariantCulture); culture = culture.Parent)
        {
            if (culture.TwoLetterISOLanguageName != "en" && Exactly(message.Key, culture) is { } template)
            {
                return FieldMessages.Format(template, message.Arguments);
            }
        }

        return message.ToString();
    }

    /// <summary>One field's messages as a validation problem carries them, worded in the request's language.</summary>
    public static string[] Words(FieldMessage message) => [Of(message, CultureInfo.CurrentUICulture)];

    /// <summary>A validation problem's <c>errors</c>, worded in the request's language (the UI culture request localization set).</summary>
    public static Dictionary<string, string[]> Errors(ImmutableDictionary<string, FieldMessage> errors) =>
        errors.ToDictionary(e => e.Key, e => new[] { Of(e.Value, CultureInfo.CurrentUICulture) });
}
