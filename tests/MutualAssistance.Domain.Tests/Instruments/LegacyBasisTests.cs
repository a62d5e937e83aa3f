using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Instruments;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// Requests filed before the catalogue carry the old enum and, for "treaty", the treaty in free text: each reads as
/// the catalogued instrument its text names unambiguously, otherwise as "bilateral, unspecified", shown as such.
/// </summary>
public sealed class LegacyBasisTests
{
    [Theory]
    [InlineData(LegacyLegalBasis.Eio, null, "eio")]
    [InlineData(LegacyLegalBasis.Cets224Subscriber, null, "cets224-subscriber")]
    [InlineData(LegacyLegalBasis.Cets224Traffic, null, "cets224-traffic")]
    [InlineData(LegacyLegalBasis.Treaty, "Shanghai Convention", "sco-shanghai-2001")]
    [InlineData(LegacyLegalBasis.Treaty, "UNTOC art. 18", "untoc")]
    [InlineData(LegacyLegalBasis.Treaty, "United Nations Convention against Corruption, art. 46", "uncac")]
    [InlineData(LegacyLegalBasis.Treaty, "Minsk Convention 1993", "minsk-1993")]
    [InlineData(LegacyLegalBasis.Treaty, "Treaty between the PRC and the Republic of Kazakhstan", "bilateral-unspecified")]
    [InlineData(LegacyLegalBasis.Treaty, "UNTOC and UNCAC", "bilateral-unspecified")]
    [InlineData(LegacyLegalBasis.Treaty, null, "bilateral-unspecified")]
    public void A_request_filed_before_the_catalogue_reads_as_the_instrument_its_text_names(LegacyLegalBasis legacy, string? treaty, string expected)
    {
        var filed = new FileRequest
        {
            RequestingAuthority = "KZ-GP", RequestedAuthority = "CN-MOJ", LegacyBasis = legacy, Treaty = treaty,
            AssistanceTypes = [AssistanceType.Other], Subject = "s", SummaryOfFacts = "f",
        };
        Assert.Equal(expected, LegacyBasis.Of(filed));
        Assert.NotNull(ShippedData.AsShipped.Instruments.FindBasis(expected));
    }

    [Fact]
    public void A_request_filed_before_the_catalogue_keeps_the_fingerprint_it_was_filed_with()
    {
        // The canonical JSON of a FileRequest as the release before the catalogue wrote it (its basis the enum, by name).
        const string before = "{\"RequestingAuthority\":\"KZ-GP\",\"RequestedAuthority\":\"CN-MOJ\",\"LegalBasis\":\"Treaty\",\"Treaty\":\"Shanghai Convention\","
            + "\"AssistanceTypes\":[\"Other\"],\"Urgency\":\"Normal\",\"RequestedBy\":null,\"ReceivedAt\":null,\"Subject\":\"s\",\"SummaryOfFacts\":\"f\","
            + "\"PersonsConcerned\":[],\"RequestingReference\":null,\"Confidential\":false,\"RelatedRequestIds\":[],\"Language\":null}";
        var filed = new FileRequest
        {
            RequestingAuthority = "KZ-GP", RequestedAuthority = "CN-MOJ", LegacyBasis = LegacyLegalBasis.Treaty, Treaty = "Shanghai Convention",
            AssistanceTypes = [AssistanceType.Other], Subject = "s", SummaryOfFacts = "f",
        };
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(before)));
        Assert.Equal(expected, Requests.FilingFingerprint.Of(filed));

        // A request filed since is fingerprinted by its code; the old fields it carries for older silos change nothing.
        var now = filed with { LegalBasis = "sco-shanghai-2001", Treaty = null, LegacyBasis = default };
        Assert.Equal(Requests.FilingFingerprint.Of(now), Requests.FilingFingerprint.Of(now with { LegacyBasis = LegacyBasis.ForOlderSilos(now.LegalBasis!) }));
        Assert.NotEqual(expected, Requests.FilingFingerprint.Of(now));

        // A retry that changes the reasons of its requested date is another filing (UNTOC art. 18(24)'s reasons are part of it).
        var dated = now with { RequestedBy = new DateOnly(2027, 3, 1), RequestedByReasons = "Trial set for March" };
        Assert.NotEqual(Requests.FilingFingerprint.Of(dated), Requests.FilingFingerprint.Of(dated with { RequestedByReasons = "Another reason" }));
    }

    [Fact]
    public void A_request_filed_under_the_catalogue_keeps_its_code()
    {
        var filed = new FileRequest
        {
            RequestingAuthority = "KZ-GP", RequestedAuthority = "CN-MOJ", LegalBasis = "cn-kz-1993",
            AssistanceTypes = [AssistanceType.Other], Subject = "s", SummaryOfFacts = "f",
        };
        Assert.Equal("cn-kz-1993", LegacyBasis.Of(filed));
    }
}
