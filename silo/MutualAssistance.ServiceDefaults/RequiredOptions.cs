using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MutualAssistance.ServiceDefaults;

/// <summary>
/// Settings in one style: a section bound to an options class (<see cref="IOptions{TOptions}"/>), validated by one
/// <see cref="IValidateOptions{TOptions}"/> at start (<c>ValidateOnStart</c>). A property marked
/// <see cref="RequiredAttribute"/> has no default: absent, it stops start-up with <see cref="MissingSettingException"/>
/// naming its full key; a value of the wrong shape stops it naming the key too (the binder's error, or the
/// <paramref name="problems"/> given).
/// </summary>
public static class RequiredOptions
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="TOptions"/>, validated at start, and validates it once
    /// here as well: the silo checks its database schema while it is being built, and a missing setting must be named
    /// before that (a database that is behind or away would otherwise be all an operator sees).
    /// </summary>
    public static OptionsBuilder<TOptions> AddRequiredOptions<TOptions>(
        this IServiceCollection services, IConfiguration configuration, string section, Func<TOptions, IEnumerable<string>>? problems = null)
        where TOptions : class, new()
    {
        var validator = new Validator<TOptions>(configuration.GetSection(section), problems);
        var builder = services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(validator);

        var now = new TOptions();
        configuration.GetSection(section).Bind(now);
        if (validator.Validate(Options.DefaultName, now) is { Failed: true } result)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }

        return builder;
    }

    private sealed class Validator<TOptions>(IConfigurationSection section, Func<TOptions, IEnumerable<string>>? problems) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            // Thrown, not returned as a failure: the exception type and its Key are what callers and tests rely on.
            foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.IsDefined(typeof(RequiredAttribute)) && string.IsNullOrWhiteSpace(section[property.Name]))
                {
                    throw new MissingSettingException($"{section.Path}:{property.Name}");
                }
            }

            var failures = problems?.Invoke(options).ToList() ?? [];
            return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
        }
    }
}
