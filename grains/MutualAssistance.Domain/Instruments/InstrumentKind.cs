namespace MutualAssistance.Domain.Instruments;

public enum InstrumentKind
{
    Multilateral,
    Regional,
    Bilateral,
    EuLaw,
}
