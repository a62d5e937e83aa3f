using System.Globalization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Testing;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// UNTOC art. 18(24): "The requested State Party shall take as full account as possible of any deadlines suggested by
/// the requesting State Party and for which reasons are given, preferably in the request." Under a basis whose
/// instrument words that duty (the catalogue's <c>deadline-with-reasons</c>: UNTOC, UNCAC), a requested-by date is
/// filed with its reasons.
/// </summary>
public sealed class RequestedByReasonsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-03-03T02:00:00Z", CultureInfo.InvariantCulture);

    private static FileRequest Filing(string basis, DateOnly? requestedBy, string? reasons) => new()
    {
        RequestingAuthority = Scenario.Requesting,
        RequestedAuthority = Scenario.Requested,
        LegalBasis = basis,
        AssistanceTypes = [AssistanceType.TakingEvidence],
        Subject = "Evidence from a witness",
        SummaryOfFacts = "Facts.",
        RequestedBy = requestedBy,
        RequestedByReasons = reasons,
    };

    [Fact]
    public void Untoc_art_18_24_a_requested_by_date_without_its_reasons_is_refused_naming_the_field_and_the_article()
    {
        var errors = FilingRules.Check(Filing("untoc", new DateOnly(2025, 5, 30), null), Now, ShippedData.Set);
        var error = Assert.Single(errors);
        Assert.Equal("requestedByReasons", error.Key);
        Assert.Contains("UNTOC art. 18(24)", error.Value.ToString(), StringComparison.Ordinal);

        Assert.Empty(FilingRules.Check(Filing("untoc", new DateOnly(2025, 5, 30), "The trial opens on 2 June 2025."), Now, ShippedData.Set));
        Assert.Empty(FilingRules.Check(Filing("untoc", null, null), Now, ShippedData.Set)); // no date, nothing to give reasons for
    }

    [Fact]
    public void Under_an_instrument_without_the_duty_the_date_stands_alone_and_reasons_without_a_date_are_refused_everywhere()
    {
        Assert.Empty(FilingRules.Check(Filing(TestReferenceData.TreatyBasis, new DateOnly(2025, 5, 30), null), Now, ShippedData.Set));
        Assert.Equal(["requestedByReasons"], FilingRules.Check(Filing("untoc", null, "Trial in June."), Now, ShippedData.Set).Keys);
        Assert.Equal(["requestedByReasons"], FilingRules.Check(Filing("untoc", new DateOnly(2025, 5, 30), new string('x', FieldLimits.ActionText + 1)), Now, ShippedData.Set).Keys);
    }

    [Fact]
    public void The_reasons_are_shown_on_the_request_and_go_with_the_personal_data_on_erasure()
    {
        var s = new Scenario("untoc", adjust: f => f with { RequestedBy = new DateOnly(2025, 5, 30), RequestedByReasons = "The trial opens on 2 June 2025." });
        Assert.Equal("The trial opens on 2 June 2025.", s.Request.ToView(Scenario.Handler, ShippedData.Set).RequestedByReasons);
        Assert.Null(AssistanceRequest.WithoutPersonalData(s.Request.Filed).RequestedByReasons);
    }
}
