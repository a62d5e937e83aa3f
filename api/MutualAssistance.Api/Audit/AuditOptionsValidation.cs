using Microsoft.Extensions.Options;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Audit;

/// <summary>Refuses <see cref="AuditOptions"/> with a setting missing (naming it as <see cref="MissingSettingException"/> does) or out of range (validated at start-up).</summary>
public sealed class AuditOptionsValidation : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (options.PurposeRequired is null)
        {
            return ValidateOptionsResult.Fail(new MissingSettingException(AuditOptions.PurposeRequiredSetting).Message);
        }

        return options.RefusalWindow switch
        {
            null => ValidateOptionsResult.Fail(new MissingSettingException(AuditOptions.RefusalWindowSetting).Message),
            { } window when window <= TimeSpan.Zero || window > AuditOptions.MaxRefusalWindow => ValidateOptionsResult.Fail(
                $"Setting '{AuditOptions.RefusalWindowSetting}' must be more than zero and at most {AuditOptions.MaxRefusalWindow:c}, not {window:c}."),
            _ => ValidateOptionsResult.Success,
        };
    }
}
