namespace MutualAssistance.Grains.ReferenceData;

/// <summary>The reference data a silo runs on, loaded at start-up; grains read it through this.</summary>
public sealed class CurrentReferenceData(ReferenceDataSet initial)
{
    private ReferenceDataSet set = initial;

    public ReferenceDataSet Set => Volatile.Read(ref set);

    public void Replace(ReferenceDataSet next) => Volatile.Write(ref set, next);
}
