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
/// </summary>
public sealed record MailOptions(
    bool Enabled, string Host, int Port, SecureSocketOptions Security, string From, MailWindow Hours, TimeSpan DigestInterval,
    bool IncludeSubject, ImmutableArray<MailRecipient> Recipients)
{
    public const string Section = "Notifications:Email";

    public static readonly ImmutableArray<string> Languages = ["en", "ru", "zh"];

    public static MailOptions Read(IConfiguration configuration)
    {
        if (!bool.Parse(configuration.GetRequired($"{Section}:Enabled")))
        {
            return new MailOptions(false, string.Empty, 0, SecureSocketOptions.None, string.Empty, new MailWindow(LocalTime.Midnight, LocalTime.Midnight),
                TimeSpan.Zero, false, []);
        }

        var security = configuration.GetRequired($"{Section}:Smtp:Security") switch
        {
            "None" => SecureSocketOptions.None,
            "StartTls" => SecureSocketOptions.StartTls,
            "SslOnConnect" => SecureSocketOptions.SslOnConnect,
            var other => throw new InvalidOperationException($"Setting '{Section}:Smtp:Security' is '{other}', not None, StartTls or SslOnConnect."),
        };
        var recipients = configuration.GetSection($"{Section}:Recipients").GetChildren().Select(r =>
        {
            var name = $"{Section}:Recipients:{r.Key}";
            var language = configuration.GetRequired($"{name}:Language");
            if (!Languages.Contains(language))
            {
                throw new InvalidOperationException($"Setting '{name}:Language' is '{language}', not one of {string.Join(", ", Languages)}.");
            }

            var levels = configuration.GetRequired($"{name}:Levels").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level <= 10
                    ? level
                    : throw new InvalidOperationException($"Setting '{name}:Levels' must list escalation levels (0 for the breach), e.g. 0,1,2,3."))
                .ToImmutableHashSet();
            return new MailRecipient(configuration.GetRequired($"{name}:Authority"), configuration.GetRequired($"{name}:Address"), language, levels);
        }).ToImmutableArray();
        return new MailOptions(
            true, configuration.GetRequired($"{Section}:Smtp:Host"), configuration.GetRequiredPort($"{Section}:Smtp:Port"), security,
            configuration.GetRequired($"{Section}:From"),
            new MailWindow(Time(configuration, "OfficeHours:Opens"), Time(configuration, "OfficeHours:Closes")),
            TimeSpan.Parse(configuration.GetRequired($"{Section}:DigestInterval"), CultureInfo.InvariantCulture),
            bool.Parse(configuration.GetRequired($"{Section}:IncludeSubject")),
            recipients);
    }

    private static LocalTime Time(IConfiguration configuration, string name)
    {
        var key = $"{Section}:{name}";
        var text = configuration.GetRequired(key);
        var parsed = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
        return parsed.Success ? parsed.Value : throw new InvalidOperationException($"Setting '{key}' is '{text}', not a time as HH:mm.");
    }
}
