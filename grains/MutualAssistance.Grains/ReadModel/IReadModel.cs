namespace MutualAssistance.Grains.ReadModel;

/// <summary>
/// The read side of the requests: lists, deadline boards and reports read it. Applying a projection is
/// idempotent and ordered by version: an older version never overwrites a newer one.
/// </summary>
public interface IReadModel
{
    /// <summary>Applies the projection; throws <see cref="ReadModelUnavailableException"/> when the store cannot be reached.</summary>
    Task Apply(RequestProjection projection, CancellationToken cancellationToken = default);
}
