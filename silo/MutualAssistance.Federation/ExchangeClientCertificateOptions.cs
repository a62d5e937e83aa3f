namespace MutualAssistance.Federation;

/// <summary>
/// Section <c>Exchange:ClientCertificate</c> as given: the PEM certificate and key this node presents to its peers,
/// both or neither (<see cref="ExchangeClientCertificate"/> checks that and reads them). Optional, so nothing here is
/// [Required]: without them the envelopes' signatures alone authenticate the node.
/// </summary>
public sealed class ExchangeClientCertificateOptions
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }
}
