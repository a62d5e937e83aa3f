using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Silo.ReferenceData;

/// <summary>
/// Loads the declared closures before the silo activates any grain: an activation that recalculated due times on
/// the data files alone would undo the moves a closure made (and nothing would move them again).
/// </summary>
public sealed class ClosureLoader(CurrentReferenceData referenceData) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClosureLoader), ServiceLifecycleStage.ApplicationServices, referenceData.Refresh);
}
