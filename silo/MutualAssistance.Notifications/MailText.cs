using System.Globalization;
using System.Resources;

namespace MutualAssistance.Notifications;

/// <summary>The texts of a notification mail, in English, Russian and Chinese (MailText.resx, .ru.resx, .zh.resx).</summary>
public static class MailText
{
    public const string Subject = nameof(Subject);
    public const string Intro = nameof(Intro);
    public const string Breach = nameof(Breach);
    public const string Escalation = nameof(Escalation);
    public const string Line = nameof(Line);
    public const string SubjectLine = nameof(SubjectLine);
    public const string Closing = nameof(Closing);

    private static readonly ResourceManager Texts = new(typeof(MailText).FullName!, typeof(MailText).Assembly);

    public static IEnumerable<string> All => typeof(MailText).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/> exactly (null when it lacks it): for the test.</summary>
    public static string? Exactly(string key, CultureInfo language) =>
        Texts.GetResourceSet(language, createIfNotExists: true, tryParents: false)?.GetString(key);

    public static string Format(string key, CultureInfo language, params object[] values) =>
        string.Format(language, Texts.GetString(key, language) ?? key, values);
}
