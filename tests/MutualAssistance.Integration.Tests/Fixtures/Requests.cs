using MutualAssistance.Testing;
using System.Text.Json.Nodes;
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
        LegalBasis = TestReferenceData.TreatyBasis,
        AssistanceTypes = [AssistanceType.BankingInformation, AssistanceType.TakingEvidence],
        Urgency = Urgency.Normal,
        Subject = subject,
        SummaryOfFacts = "Transfers between March and May 2026 through three accounts.",
        PersonsConcerned = [new PersonConcerned { Name = "A. Person", Nationality = "KZ", Role = "suspect" }],
        RequestingReference = "KZ-2026-0042",
    };

    /// <summary>A filing as the API takes it: a treaty request with one person concerned.</summary>
    public static JsonObject Json(string subject, string requesting = "KZ-GP", string requested = "CN-MOJ", string legalBasis = TestReferenceData.TreatyBasis) => new()
    {
        ["requestingAuthority"] = requesting,
        ["requestedAuthority"] = requested,
        ["legalBasis"] = legalBasis,
        ["assistanceTypes"] = new JsonArray("banking-information"),
        ["subject"] = subject,
        ["summaryOfFacts"] = "Transfers through three accounts.",
        ["personsConcerned"] = new JsonArray(new JsonObject { ["name"] = "A. Person", ["role"] = "suspect" }),
    };
}
