namespace MutualAssistance.Testing;

/// <summary>
/// The keys tests seal with: made at random once per test process, so that a database written by one test host
/// opens in the next, and no key sits in the code (production keys come from files or Secrets).
/// </summary>
public static class SealingTestSettings
{
    public static readonly string MasterKeyV1 = NewKey();
    public static readonly string MasterKeyV2 = NewKey();
    public static readonly string PersonIndexKey = NewKey();

    /// <summary>Master key version 1, active, and the person-index key.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Keys = new Dictionary<string, string?>
    {
        ["Sealing:MasterKeys:0:Version"] = "1",
        ["Sealing:MasterKeys:0:Key"] = MasterKeyV1,
        ["Sealing:ActiveMasterKey"] = "1",
        ["Sealing:PersonIndexKey"] = PersonIndexKey,
    };

    private static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
