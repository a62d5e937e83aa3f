namespace MutualAssistance.Api.Audit;

/// <summary>
/// Section <c>Audit</c>: how the consultation log treats callers. Every setting is required (appsettings.json ships
/// the defaults); start-up stops naming one that is missing or out of range (<see cref="AuditOptionsValidation"/>).
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public const string PurposeRequiredSetting = Section + ":" + nameof(PurposeRequired);

    public const string RefusalWindowSetting = Section + ":" + nameof(RefusalWindow);

    /// <summary>The longest <see cref="RefusalWindow"/> may be.</summary>
    public static readonly TimeSpan MaxRefusalWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// True: a read of personal data without a purpose (<c>X-Purpose</c> or <c>purpose</c>) is refused with 400.
    /// Nullable only so that a missing setting can be told from <c>false</c>.
    /// </summary>
    public bool? PurposeRequired { get; set; }

    /// <summary>
    /// Over how long unauthenticated refusals are counted per source before one entry records them
    /// (<see cref="AnonymousRefusals"/>); more than zero, at most <see cref="MaxRefusalWindow"/>.
    /// </summary>
    public TimeSpan? RefusalWindow { get; set; }

    public bool RequiresPurpose => PurposeRequired ?? throw new InvalidOperationException($"Setting '{PurposeRequiredSetting}' was not validated.");

    public TimeSpan Window => RefusalWindow ?? throw new InvalidOperationException($"Setting '{RefusalWindowSetting}' was not validated.");
}
