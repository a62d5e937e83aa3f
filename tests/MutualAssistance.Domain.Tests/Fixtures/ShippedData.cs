using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Tests;

/// <summary>The reference data folder the silo ships, loaded once.</summary>
public static class ShippedData
{
    private static readonly Lazy<ReferenceDataSet> Loaded = new(() => ReferenceDataFiles.Load(Path.Combine(AppContext.BaseDirectory, "ReferenceData")));

    public static ReferenceDataSet Set => Loaded.Value;
}
