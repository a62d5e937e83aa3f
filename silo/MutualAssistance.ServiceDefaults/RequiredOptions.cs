using System.Collections;
using System.ComponentModel;
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
/// naming its full key (a list or nested section is absent when it has neither a value nor entries: an empty
/// <c>[]</c> is present; the entries of a list, and a nested section even when absent, are checked the same way); a value of the wrong
/// shape stops it naming the key too (the binder's error, or the <paramref name="problems"/> given, which may also
/// throw when the check is the building of a value from the settings).
/// </summary>
public static class RequiredOptions
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="TOptions"/>, validated at start, and validates it once
    /// here as well: the silo checks its database schema while it is being built, and a missing setting must be named
    /// before that (a database that is behind or away would otherwise be all an operator sees). A second call for the
    /// same <typeparamref name="TOptions"/> (a co-hosted silo registers the API's services too) binds nothing again.
    /// </summary>
    public static OptionsBuilder<TOptions> AddRequiredOptions<TOptions>(
        this IServiceCollection services, IConfiguration configuration, string section, Func<TOptions, IEnumerable<string>>? problems = null)
        where TOptions : class, new()
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is Validator<TOptions>))
        {
            return services.AddOptions<TOptions>();
        }

        var builder = services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new Validator<TOptions>(configuration.GetSection(section), problems));
        _ = configuration.GetRequiredOptions(section, problems);
        return builder;
    }

    /// <summary>
    /// The section bound and validated as <see cref="AddRequiredOptions{TOptions}"/> does, now: for code that runs
    /// without the host's container (the silo's maintenance commands, tests). A problem found stops it as
    /// <see cref="InvalidOperationException"/> whose message names the key, as the hand-read settings did.
    /// </summary>
    public static TOptions GetRequiredOptions<TOptions>(this IConfiguration configuration, string section, Func<TOptions, IEnumerable<string>>? problems = null)
        where TOptions : class, new()
    {
        var options = new TOptions();
        configuration.GetSection(section).Bind(options);
        if (new Validator<TOptions>(configuration.GetSection(section), problems).Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            throw new InvalidOperationException(result.FailureMessage, new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures));
        }

        return options;
    }

    private sealed class Validator<TOptions>(IConfigurationSection section, Func<TOptions, IEnumerable<string>>? problems) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            // Thrown, not returned as a failure: the exception type and its Key are what callers and tests rely on.
            ThrowIfMissing(typeof(TOptions), section);
            var failures = problems?.Invoke(options).ToList() ?? [];
            return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
        }
    }

    private static void ThrowIfMissing(Type type, IConfigurationSection section)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var child = section.GetSection(property.Name);
            var leaf = IsLeaf(property.PropertyType);
            if (property.IsDefined(typeof(RequiredAttribute)) && (leaf ? string.IsNullOrWhiteSpace(child.Value) : !child.Exists()))
            {
                throw new MissingSettingException(child.Path);
            }

            if (leaf)
            {
                continue;
            }

            if (ElementType(property.PropertyType) is { } element)
            {
                if (!IsLeaf(element))
                {
                    foreach (var entry in child.GetChildren())
                    {
                        ThrowIfMissing(element, entry);
                    }
                }
            }
            else
            {
                // Absent or not, so that a required key inside is named in full (RateLimiting:Anonymous:Burst).
                ThrowIfMissing(property.PropertyType, child);
            }
        }
    }

    /// <summary>A type the binder reads from one value (as it decides: a type converter from text).</summary>
    private static bool IsLeaf(Type type) => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType && type.GetGenericArguments() is [var element] ? element
        : null;
}
