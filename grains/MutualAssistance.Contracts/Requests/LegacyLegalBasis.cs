namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// The legal basis as requests filed before the instrument catalogue stored it (field 2 of <see cref="FileRequest"/>,
/// with the treaty, if any, in free text): kept only so that their stored state still reads. A request filed since
/// names a basis code of the catalogue (<see cref="FileRequest.LegalBasis"/>) and leaves this at its default.
/// </summary>
[Alias("ma.LegalBasis")]
public enum LegacyLegalBasis
{
    Eio = 0,
    Treaty = 1,
    Cets224Subscriber = 2,
    Cets224Traffic = 3,
}
