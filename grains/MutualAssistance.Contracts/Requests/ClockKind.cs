namespace MutualAssistance.Contracts.Requests;

/// <summary>What a deadline clock measures.</summary>
[Alias("ma.ClockKind")]
public enum ClockKind
{
    /// <summary>The requested central authority confirms receipt.</summary>
    Acknowledgement = 0,

    /// <summary>The decision to recognise and execute, or to refuse.</summary>
    Decision = 1,

    /// <summary>Carrying out the measure and sending the results.</summary>
    Execution = 2,

    /// <summary>The requesting side answers a request for more information.</summary>
    Information = 3,

    /// <summary>The decision on provisional measures (freezing, seizure) where practicable.</summary>
    ProvisionalMeasures = 4,

    /// <summary>Producing data under an order, from its service on the provider (CETS 224 subscriber information or traffic data).</summary>
    Production = 5,

    /// <summary>Serving a production order on the service provider (CETS 224 art. 8(6)(a)).</summary>
    Service = 6,

    /// <summary>The requested side answers the requesting side's ask on progress (UNTOC art. 18(24)): a target this system sets.</summary>
    Progress = 7,
}
