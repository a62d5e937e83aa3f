using Microsoft.Extensions.Configuration;
using MutualAssistance.Sealing;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>The master keys the test silos seal with (<see cref="SealingTestSettings"/>), for tests that open what they stored.</summary>
public static class SealingKeys
{
    public static MasterKeyRing Ring(IReadOnlyDictionary<string, string?>? settings = null) =>
        MasterKeyRing.Read(new ConfigurationBuilder().AddInMemoryCollection(settings ?? SealingTestSettings.Keys).Build());
}
