using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary>Requests and actors to file in tests.</summary>
public static class Requests
{
    public static readonly Actor Filer = new() { Subject = "test-filer", Authority = "KZ-GP", Role = Role.Filer };

    public static FileRequest Sample(string subject = "Fraud proceeds moved through Almaty accounts") => new()
    {
        RequestingAuthority = "KZ-GP",
        RequestedAuthority = "CN-MOJ",
        LegalBasis = LegalBasis.Treaty,
        Treaty = "Shanghai Convention",
        AssistanceTypes = [AssistanceType.BankingInformation, AssistanceType.TakingEvidence],
        Urgency = Urgency.Normal,
        Subject = subject,
        SummaryOfFacts = "Transfers between March and May 2026 through three accounts.",
        PersonsConcerned = [new PersonConcerned { Name = "A. Person", Nationality = "KZ", Role = "suspect" }],
        RequestingReference = "KZ-2026-0042",
    };
}
