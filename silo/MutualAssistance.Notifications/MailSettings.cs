using System.ComponentModel.DataAnnotations;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Notifications;

/// <summary>
/// Section <c>Notifications:Email</c> as given (<see cref="MailOptions"/> says what each key means), bound and validated
/// at start (<see cref="RequiredOptions"/>). Only <c>Enabled</c> is required of itself; the rest is required when it is
/// true, which no attribute can say, so the check is the building of <see cref="MailOptions"/>
/// (<see cref="MailOptions.FromSettings"/>), which names what is missing or malformed. The mail sender and the notifier take the
/// <see cref="MailOptions"/> built from these once.
/// </summary>
public sealed class MailSettings
{
    public const string Section = "Notifications:Email";

    [Required] public bool Enabled { get; set; }

    public SmtpSettings Smtp { get; set; } = new();

    public string? From { get; set; }

    public OfficeHoursSettings OfficeHours { get; set; } = new();

    public TimeSpan? DigestInterval { get; set; }

    public bool? IncludeSubject { get; set; }

    public List<MailRecipientSetting> Recipients { get; set; } = [];

    public static IEnumerable<string> Problems(MailSettings settings)
    {
        _ = MailOptions.FromSettings(settings);
        return [];
    }

    public sealed class SmtpSettings
    {
        public string? Host { get; set; }

        public string? Port { get; set; }

        public string? Security { get; set; }
    }

    public sealed class OfficeHoursSettings
    {
        public string? Opens { get; set; }

        public string? Closes { get; set; }
    }

    public sealed class MailRecipientSetting
    {
        public string? Authority { get; set; }

        public string? Address { get; set; }

        public string? Language { get; set; }

        public string? Levels { get; set; }
    }
}
