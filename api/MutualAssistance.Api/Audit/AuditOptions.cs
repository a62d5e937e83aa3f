namespace MutualAssistance.Api.Audit;

/// <summary>
/// Section <c>Audit</c>: how the consultation log treats callers. Every setting is required (appsettings.json ships
/// the defaults); start-up stops naming one that is missing (<see cref="AuditOptionsValidation"/>).
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public const string PurposeRequiredSetting = Section + ":" + nameof(PurposeRequired);

    /// <summary>
    /// True: a read of personal data without a purpose (<c>X-Purpose</c> or <c>purpose</c>) is refused with 400.
    /// Nullable only so that a missing setting can be told from <c>false</c>.
    /// </summary>
    public bool? PurposeRequired { get; set; }

    public bool RequiresPurpose => PurposeRequired ?? throw new InvalidOperationException($"Setting '{PurposeRequiredSetting}' was not validated.");
}
