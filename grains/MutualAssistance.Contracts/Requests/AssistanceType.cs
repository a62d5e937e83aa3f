namespace MutualAssistance.Contracts.Requests;

/// <summary>What the requesting state asks the requested state to do.</summary>
[Alias("ma.AssistanceType")]
public enum AssistanceType
{
    TakingEvidence = 0,
    ServiceOfDocuments = 1,
    SearchAndSeizure = 2,
    FreezingAssets = 3,
    HearingByVideo = 4,
    BankingInformation = 5,
    Other = 6,
}
