namespace MutualAssistance.Grains;

/// <summary>Names of the grain storage providers the grains use; the silo registers them.</summary>
public static class StorageNames
{
    public const string Requests = "requests";
}
