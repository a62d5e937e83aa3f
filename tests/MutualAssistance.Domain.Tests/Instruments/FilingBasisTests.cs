using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// A filing names a basis of the instrument catalogue that binds both states on the day the request is made, and goes
/// to an authority the requested state designated under it where the catalogue records designations: UNTOC art. 18(1)
/// and 18(13), UNCAC art. 46(1) and 46(13), the bilateral treaties' central-authority articles. Run on the catalogue as
/// shipped (<see cref="ShippedData.AsShipped"/>), not on the test data that binds everyone to the EIO.
/// </summary>
public sealed class FilingBasisTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);

    private static FileRequest Filing(string basis, string requesting = "KZ-GP", string requested = "CN-MOJ", DateTimeOffset? receivedAt = null) => new()
    {
        RequestingAuthority = requesting,
        RequestedAuthority = requested,
        LegalBasis = basis,
        ReceivedAt = receivedAt,
        AssistanceTypes = [AssistanceType.TakingEvidence],
        Subject = "Evidence from a witness",
        SummaryOfFacts = "Facts.",
    };

    private static ImmutableDictionary<string, Contracts.FieldMessage> Check(FileRequest filing, DateTimeOffset? now = null) =>
        FilingRules.Check(filing, now ?? Now, ShippedData.AsShipped);

    [Fact]
    public void The_bases_binding_Kazakhstan_and_China_today_are_their_treaty_the_Shanghai_Convention_UNCAC_and_UNTOC()
    {
        // cn-kz-1993 in force 1995-07-11; Shanghai Convention for both 2003-03-29; UNCAC: CN 2006, KZ 2008; UNTOC: CN
        // 2003, KZ 2008 (instruments/*.json, each with its source). Neither is an EU member state (no EIO) nor a party
        // to CETS 224; China is not a party to the Minsk or Chisinau conventions.
        var bases = ShippedData.AsShipped.Instruments.Binding("KZ", "CN", new LocalDate(2026, 12, 8)).Select(b => b.Basis.Code).Order(StringComparer.Ordinal);
        Assert.Equal(["cn-kz-1993", "sco-shanghai-2001", "uncac", "untoc"], bases);
    }

    [Fact]
    public void The_EIO_between_two_SCO_states_is_refused_naming_the_bases_that_bind_them()
    {
        // Directive 2014/41/EU binds the member states that took part in its adoption (recitals 44-45: not Denmark or
        // Ireland); Kazakhstan is not one.
        var errors = Check(Filing(LegalBases.Eio));
        Assert.Equal(
            "European Investigation Order does not bind KZ on 2026-12-08: KZ is not a party to it then. Bases binding both states on 2026-12-08: cn-kz-1993, sco-shanghai-2001, uncac, untoc.",
            errors["legalBasis"].ToString().Replace(ShortTitle("eio"), "European Investigation Order", StringComparison.Ordinal));
        Assert.Single(errors);
    }

    [Fact]
    public void UNTOC_does_not_bind_Iran_which_signed_but_never_ratified_it()
    {
        // UN Treaty Collection, chapter XVIII-12: Iran signed in 2000 and is not a party (instruments/untoc.json: the
        // signature is a lead; a reported 2025 approval of accession is not shown to be deposited, so Iran is no party).
        var errors = Check(Filing("untoc", requested: "IR-JUD"));
        Assert.StartsWith($"{ShortTitle("untoc")} does not bind IR on 2026-12-08", errors["legalBasis"].ToString(), StringComparison.Ordinal);
        Assert.EndsWith("Bases binding both states on 2026-12-08: uncac.", errors["legalBasis"].ToString(), StringComparison.Ordinal);
        Assert.Contains(ShippedData.AsShipped.Instruments.InstrumentOf("untoc")!.Signatories, s => s.State == "IR");
    }

    [Fact]
    public void A_state_is_bound_from_the_day_the_instrument_entered_into_force_for_it()
    {
        // UNCAC art. 68(2): in force for India on the thirtieth day after its ratification of 9 May 2011, 8 June 2011
        // (instruments/uncac.json; the deposit date is a lead, not read in the depositary's list). The day of the
        // request is read in the requested authority's zone (Asia/Kolkata).
        var dayBefore = new DateTimeOffset(2011, 6, 7, 12, 0, 0, TimeSpan.Zero);
        var onTheDay = new DateTimeOffset(2011, 6, 7, 19, 0, 0, TimeSpan.Zero);   // 00:30 on 8 June in Kolkata
        Assert.Equal(new LocalDate(2011, 6, 8), ShippedData.AsShipped.Instruments.InstrumentOf("uncac")!.Parties.Single(p => p.State == "IN").Since);
        Assert.Contains("does not bind IN on 2011-06-07", Check(Filing("uncac", requested: "IN-MHA"), dayBefore)["legalBasis"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("legalBasis", Check(Filing("uncac", requested: "IN-MHA"), onTheDay).Keys);
    }

    [Fact]
    public void A_request_registered_off_system_is_held_to_the_day_it_was_received()
    {
        // Received on 7 June 2011 in Kolkata, registered on the 9th: UNCAC did not bind India when the request was made.
        var errors = Check(Filing("uncac", requested: "IN-MHA", receivedAt: new DateTimeOffset(2011, 6, 7, 6, 0, 0, TimeSpan.Zero)), new DateTimeOffset(2011, 6, 9, 6, 0, 0, TimeSpan.Zero));
        Assert.Contains("does not bind IN on 2011-06-07", errors["legalBasis"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_to_an_authority_the_requested_state_did_not_designate_is_refused_naming_the_designated_ones()
    {
        // UNTOC art. 18(13): China designated its Ministry of Justice (instruments/untoc.json).
        var errors = Check(Filing("untoc", requested: "CN-SPP"));
        Assert.Equal($"CN-SPP is not an authority CN designated under {ShortTitle("untoc")}; designated: CN-MOJ.", errors["requestedAuthority"].ToString());
        Assert.False(errors.ContainsKey("legalBasis"));

        // The China-Kazakhstan treaty names the procuratorate beside the ministry (art. 2 as catalogued): accepted.
        Assert.Empty(Check(Filing("cn-kz-1993", requested: "CN-SPP")));
    }

    [Theory]
    [InlineData("treaty")]
    [InlineData("bilateral-unspecified")]
    [InlineData("UNTOC")]
    public void A_basis_that_is_not_one_a_filing_may_name_is_refused_with_the_valid_ones(string basis)
    {
        Assert.Equal(
            $"'{basis}' is not a legal basis a request may be filed under. Bases binding both states on 2026-12-08: cn-kz-1993, sco-shanghai-2001, uncac, untoc.",
            Check(Filing(basis))["legalBasis"].ToString());
    }

    [Fact]
    public void A_missing_basis_is_required_with_the_valid_ones_and_the_free_text_treaty_is_retired()
    {
        var errors = Check(Filing(null!) with { Treaty = "Shanghai Convention" });
        Assert.Equal("Required: one of cn-kz-1993, sco-shanghai-2001, uncac, untoc.", errors["legalBasis"].ToString());
        Assert.StartsWith("No longer taken: name the treaty by its code in legalBasis", errors["treaty"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_convention_not_in_force_binds_nobody_and_the_problem_names_what_does()
    {
        // The UN Convention against Cybercrime (A/RES/79/243) enters into force 90 days after the 40th ratification
        // (art. 65(1), a lead): not yet, as far as instruments/uncc.json records.
        var errors = Check(Filing("uncc-mla", requesting: "PK-MOI", requested: "BY-GP"));
        Assert.Contains("does not bind PK on 2026-12-08", errors["legalBasis"].ToString(), StringComparison.Ordinal);
        Assert.EndsWith("Bases binding both states on 2026-12-08: uncac, untoc.", errors["legalBasis"].ToString(), StringComparison.Ordinal);
    }

    private static string ShortTitle(string basis) => ShippedData.AsShipped.Instruments.InstrumentOf(basis)!.ShortTitle;
}
