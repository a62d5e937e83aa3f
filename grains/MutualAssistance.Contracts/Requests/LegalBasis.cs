namespace MutualAssistance.Contracts.Requests;

/// <summary>The instrument under which assistance is asked; it selects the deadline policy.</summary>
[Alias("ma.LegalBasis")]
public enum LegalBasis
{
    /// <summary>European Investigation Order, Directive 2014/41/EU.</summary>
    Eio = 0,

    /// <summary>A bilateral treaty or a multilateral convention without fixed limits (UNTOC, UNCAC, Minsk, Chisinau).</summary>
    Treaty = 1,

    /// <summary>Second Additional Protocol to the Budapest Convention (CETS 224), order for subscriber information.</summary>
    Cets224Subscriber = 2,

    /// <summary>Second Additional Protocol to the Budapest Convention (CETS 224), order for traffic data.</summary>
    Cets224Traffic = 3,
}
