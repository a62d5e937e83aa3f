using Microsoft.Extensions.Options;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Audit;

/// <summary>Refuses <see cref="AuditOptions"/> with a setting missing, naming it as <see cref="MissingSettingException"/> does (validated at start-up).</summary>
public sealed class AuditOptionsValidation : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.PurposeRequired is null
            ? ValidateOptionsResult.Fail(new MissingSettingException(AuditOptions.PurposeRequiredSetting).Message)
            : ValidateOptionsResult.Success;
}
