namespace MutualAssistance.Testing;

/// <summary>
/// The keys tests seal with: fixed, so that a database written by one test host opens in the next (they protect
/// nothing; production keys come from files or Secrets, README "Sealed at rest").
/// </summary>
public static class SealingTestSettings
{
    public const string MasterKeyV1 = "eUUv1/LBB3LxNtsJW0q3gUjBolJg5OhnVlYa/7tkY58=";
    public const string MasterKeyV2 = "4Xsm8W92KoVyStLjuB2sk/Xy/NHo1hX0kTTOKn+xnHY=";
    public const string PersonIndexKey = "W/lEaID/z39DMljcsKenK6282swyaZyfP8c/S4GmxTA=";

    /// <summary>Master key version 1, active, and the person-index key.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Keys = new Dictionary<string, string?>
    {
        ["Sealing:MasterKeys:0:Version"] = "1",
        ["Sealing:MasterKeys:0:Key"] = MasterKeyV1,
        ["Sealing:ActiveMasterKey"] = "1",
        ["Sealing:PersonIndexKey"] = PersonIndexKey,
    };
}
