using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.Localization;

namespace MutualAssistance.Api.Localization;

/// <summary>
/// Problem details in the caller's language (README, "Languages"): English, Russian or Chinese by Accept-Language
/// (English when none of them), for the titles and fixed details keyed by <see cref="ProblemText"/>. A text that is no
/// key (a rule's own detail, a field's message) stays as written. Only the UI culture follows the caller: formats of
/// numbers and dates in answers stay invariant.
/// </summary>
public static class ProblemLanguage
{
    public static readonly CultureInfo[] Languages = [new("en"), new("ru"), new("zh")];

    private static readonly ResourceManager Texts = new(typeof(ProblemText).FullName!, typeof(ProblemText).Assembly);

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>, or null when that language lacks it (no fallback).</summary>
    public static string? Exactly(string key, CultureInfo language) =>
        Texts.GetResourceSet(language, createIfNotExists: true, tryParents: false)?.GetString(key);

    public static RequestLocalizationOptions RequestOptions()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, Languages[0]),
            SupportedCultures = [CultureInfo.InvariantCulture],
            SupportedUICultures = Languages,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        return options;
    }

    /// <summary>Puts a problem's title and detail in the request's language (the <c>CustomizeProblemDetails</c> hook).</summary>
    public static void Localize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var language = CultureInfo.CurrentUICulture;
        problem.Title = problem is HttpValidationProblemDetails ? Text(ProblemText.ValidationFailed, language) : Translated(problem.Title, language);
        problem.Detail = Translated(problem.Detail, language);
        context.HttpContext.Response.Headers.ContentLanguage = Languages.FirstOrDefault(l => l.Name == language.TwoLetterISOLanguageName)?.Name ?? Languages[0].Name;
    }

    /// <summary>The text of <paramref name="key"/> in the request's language with its placeholders filled (numbers and dates invariant).</summary>
    public static string Format(string key, params object?[] arguments) =>
        string.Format(CultureInfo.InvariantCulture, Text(key, CultureInfo.CurrentUICulture), arguments);

    private static string Text(string key, CultureInfo language) => Texts.GetString(key, language) ?? key;

    private static string? Translated(string? text, CultureInfo language) => text is null ? null : Texts.GetString(text, language) ?? text;
}
