namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// A legal basis a filing names: one procedure of an instrument (its general assistance, or e.g. CETS 224's order for
/// subscriber information), with the article it rests on. Its clocks are the policy of the same code in
/// <c>policies.json</c>, or the one <see cref="Policy"/> names when several bases share them.
/// </summary>
public sealed record InstrumentBasis(string Code, string Title, string Article, string Policy);
