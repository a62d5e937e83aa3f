using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Sealing;

/// <summary>
/// The master keys' settings (section <c>Sealing</c>, the silo's alone): <c>MasterKeys:i:Version</c> with the key in
/// <c>MasterKeys:i:Key</c> or <c>...:KeyPath</c>, and <c>ActiveMasterKey</c>. Bound and validated at start
/// (<see cref="RequiredOptions"/>); the ring is built from them (<see cref="MasterKeyRing.From"/>), and the check at
/// start is that building, so a key that is missing, not 32 bytes or listed twice is named before the silo runs.
/// </summary>
public sealed class MasterKeyOptions
{
    public const string Section = "Sealing";

    /// <summary>Not [Required] as a list: none at all is named as its first entry's version, the key to give first.</summary>
    public List<MasterKeySetting> MasterKeys { get; set; } = [];

    [System.ComponentModel.DataAnnotations.Required] public int ActiveMasterKey { get; set; }

    /// <summary>The ring can be built: nothing else to report (it throws, naming the setting, when it cannot).</summary>
    public static IEnumerable<string> Problems(MasterKeyOptions options)
    {
        _ = MasterKeyRing.From(options);
        return [];
    }
}

/// <summary>One entry of <c>Sealing:MasterKeys</c>: its version, and its key inline or in a file (one of the two).</summary>
public sealed class MasterKeySetting
{
    [System.ComponentModel.DataAnnotations.Required] public int Version { get; set; }

    public string? Key { get; set; }

    public string? KeyPath { get; set; }
}

/// <summary>
/// The person-search index key (section <c>Sealing</c>, read by the silo and the API): <c>PersonIndexKey</c> or
/// <c>PersonIndexKeyPath</c>, one of the two (<see cref="SecretKeySetting"/>). Bound and validated at start; the
/// <see cref="PersonIndex"/> is built from it once.
/// </summary>
public sealed class PersonIndexOptions
{
    public const string Section = "Sealing";

    public string? PersonIndexKey { get; set; }

    public string? PersonIndexKeyPath { get; set; }

    /// <summary>The 32-byte key; neither or both given, or the wrong length, stops start-up naming the setting.</summary>
    public byte[] Key() => SecretKeySetting.ReadKey(PersonIndex.KeySetting, PersonIndexKey, PersonIndexKeyPath);

    public static IEnumerable<string> Problems(PersonIndexOptions options)
    {
        _ = options.Key();
        return [];
    }
}

/// <summary>Registration of the sealing settings, one place for the silo and the API.</summary>
public static class SealingServices
{
    /// <summary>The person-index key's options and the <see cref="PersonIndex"/> built from them (unless one is given).</summary>
    public static IServiceCollection AddPersonIndex(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<PersonIndexOptions>(configuration, PersonIndexOptions.Section, PersonIndexOptions.Problems);
        services.TryAddSingleton(sp => new PersonIndex(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PersonIndexOptions>>().Value.Key()));
        return services;
    }
}
