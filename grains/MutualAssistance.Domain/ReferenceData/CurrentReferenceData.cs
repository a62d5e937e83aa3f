namespace MutualAssistance.Domain.ReferenceData;

/// <summary>
/// The reference data a silo runs on: the files loaded at start-up, with the closures declared at run time read
/// from <see cref="ICalendarClosureStore"/> (loaded before the silo activates any grain, then refreshed by every
/// silo; a grain asked to see a newer change catches up first). Grains read it through <see cref="Set"/>.
/// </summary>
public sealed class CurrentReferenceData(ReferenceDataSet initial, ICalendarClosureStore? closures = null) : IDisposable
{
    private readonly SemaphoreSlim reload = new(1, 1);
    private ReferenceDataSet set = initial;

    public ReferenceDataSet Set => Volatile.Read(ref set);

    public void Replace(ReferenceDataSet next) => Volatile.Write(ref set, next);

    public void Dispose() => reload.Dispose();

    /// <summary>Reloads the declared closures when the store holds a change this silo has not seen.</summary>
    public async Task Refresh(CancellationToken cancellationToken = default)
    {
        if (closures is not null && await closures.LatestSequence(cancellationToken) is var latest && latest != Set.ClosureSequence)
        {
            await CatchUp(latest, cancellationToken);
        }
    }

    /// <summary>Makes sure the declared closures include change <paramref name="sequence"/>.</summary>
    public async Task CatchUp(long sequence, CancellationToken cancellationToken = default)
    {
        if (closures is null || Set.ClosureSequence >= sequence)
        {
            return;
        }

        await reload.WaitAsync(cancellationToken);
        try
        {
            if (Set.ClosureSequence >= sequence)
            {
                return;
            }

            var (declared, latest) = await closures.ReadAll(cancellationToken);
            Replace(Set.WithClosures(declared, latest));
        }
        finally
        {
            reload.Release();
        }
    }
}
