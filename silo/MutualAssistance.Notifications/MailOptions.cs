using System.Collections.Immutable;
using System.Globalization;
using MailKit.Security;
using MutualAssistance.Domain.Notifications;
using MutualAssistance.ServiceDefaults;
using NodaTime;
using NodaTime.Text;

namespace MutualAssistance.Notifications;

/// <summary>
/// Section <c>Notifications:Email</c>. <c>Enabled</c> is required; when true, so are <c>Smtp:Host</c>, <c>Smtp:Port</c>,
/// <c>Smtp:Security</c> (None, StartTls, SslOnConnect), <c>From</c>, <c>OfficeHours:Opens</c> and <c>:Closes</c>
/// (HH:mm, in each recipient's own zone), <c>DigestInterval</c> (at most one mail per address per interval, level 3
/// excepted), <c>IncludeSubject</c> (whether a mail shows the request's subject line, which may name a person) and the
/// recipients <c>Recipients:i:{Authority, Address, Language (en, ru, zh), Levels (e.g. 0,1,2,3: 0 is the breach)}</c>.
/// Built once from the bound <see cref="MailSettings"/>.
/// </summary>
public sealed record MailOptions(
    bool Enabled, string Host, int Port, SecureSocketOptions Security, string From, MailWindow Hours, TimeSpan DigestInterval,
    bool IncludeSubject, ImmutableArray<MailRecipient> Recipients)
{
    public const string Section = "Notifications:Email";

    public static readonly ImmutableArray<string> Languages = ["en", "ru", "zh"];

    /// <summary>The options the settings describe; when enabled, a missing or malformed one stops start-up naming it.</summary>
    public static MailOptions FromSettings(MailSettings settings)
    {
        if (!settings.Enabled)
        {
            return new MailOptions(false, string.Empty, 0, SecureSocketOptions.None, string.Empty, new MailWindow(LocalTime.Midnight, LocalTime.Midnight),
                TimeSpan.Zero, false, []);
        }

        var security = Required(settings.Smtp.Security, "Smtp:Security") switch
        {
            "None" => SecureSocketOptions.None,
            "StartTls" => SecureSocketOptions.StartTls,
            "SslOnConnect" => SecureSocketOptions.SslOnConnect,
            var other => throw new InvalidOperationException($"Setting '{Section}:Smtp:Security' is '{other}', not None, StartTls or SslOnConnect."),
        };
        var recipients = settings.Recipients.Select((r, i) =>
        {
            var name = $"Recipients:{i}";
            var language = Required(r.Language, $"{name}:Language");
            if (!Languages.Contains(language))
            {
                throw new InvalidOperationException($"Setting '{Section}:{name}:Language' is '{language}', not one of {string.Join(", ", Languages)}.");
            }

            var levels = Required(r.Levels, $"{name}:Levels").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level <= 10
                    ? level
                    : throw new InvalidOperationException($"Setting '{Section}:{name}:Levels' must list escalation levels (0 for the breach), e.g. 0,1,2,3."))
                .ToImmutableHashSet();
            return new MailRecipient(Required(r.Authority, $"{name}:Authority"), Required(r.Address, $"{name}:Address"), language, levels);
        }).ToImmutableArray();
        return new MailOptions(
            true, Required(settings.Smtp.Host, "Smtp:Host"), ParsePort(settings.Smtp.Port, "Smtp:Port"), security,
            Required(settings.From, "From"),
            new MailWindow(Time(settings.OfficeHours.Opens, "OfficeHours:Opens"), Time(settings.OfficeHours.Closes, "OfficeHours:Closes")),
            settings.DigestInterval ?? throw new MissingSettingException($"{Section}:DigestInterval"),
            settings.IncludeSubject ?? throw new MissingSettingException($"{Section}:IncludeSubject"),
            recipients);
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new MissingSettingException($"{Section}:{name}") : value;

    private static int ParsePort(string? text, string name)
    {
        return int.TryParse(Required(text, name), out var port) && port is >= 1 and <= 65535
            ? port
            : throw new InvalidOperationException($"Setting '{Section}:{name}' must be a TCP port (1-65535), not '{text}'.");
    }

    private static LocalTime Time(string? text, string name)
    {
        var parsed = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(Required(text, name));
        return parsed.Success ? parsed.Value : throw new InvalidOperationException($"Setting '{Section}:{name}' is '{text}', not a time as HH:mm.");
    }
}
