using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Testing;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// The reference data folder the silo ships, loaded once: <see cref="Set"/> as the tests run on it (the EIO and CETS
/// 224 binding every state of the directory, <see cref="TestReferenceData"/>), <see cref="AsShipped"/> exactly as shipped.
/// </summary>
public static class ShippedData
{
    private static readonly Lazy<ReferenceDataSet> Loaded = new(() => ReferenceDataFiles.Load(TestReferenceData.Folder));

    private static readonly Lazy<ReferenceDataSet> Shipped = new(() => ReferenceDataFiles.Load(TestReferenceData.ShippedFolder));

    public static ReferenceDataSet Set => Loaded.Value;

    public static ReferenceDataSet AsShipped => Shipped.Value;
}
