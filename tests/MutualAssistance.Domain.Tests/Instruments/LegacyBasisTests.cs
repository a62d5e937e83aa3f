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
