namespace MutualAssistance.Contracts.Requests;

/// <summary>Where a request stands in its lifecycle.</summary>
[Alias("ma.RequestStatus")]
public enum RequestStatus
{
    Submitted = 0,
    Acknowledged = 1,
    Forwarded = 2,
    Accepted = 3,
    PartiallyExecuted = 4,
    Executed = 5,
    Closed = 6,
    AwaitingInformation = 7,
    Postponed = 8,
    Refused = 9,
    ReturnedUnexecuted = 10,
    Withdrawn = 11,
}
