using Microsoft.AspNetCore.Http;
using MutualAssistance.Api.Audit;
using MutualAssistance.Audit;

namespace MutualAssistance.Api.Tests;

/// <summary>The consultation log's rules that need no database: purposes, the audit cursor, CSV fields.</summary>
public sealed class AuditRulesTests
{
    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("Decide on execution", null, null, "Decide on execution")]
    [InlineData(null, "Weekly review", null, "Weekly review")]
    [InlineData(null, "Следствие 调查", null, "Следствие 调查")]
    [InlineData("a", "b", "X-Purpose", null)]
    [InlineData("", null, "X-Purpose", null)]
    [InlineData(null, "   ", "purpose", null)]
    [InlineData(null, "bell\u0007", "purpose", null)]
    [InlineData(null, "line\nbreak", "purpose", null)]
    [InlineData(null, "\u202Eevil", "purpose", null)]
    [InlineData(null, "zero\u200Bwidth", "purpose", null)]
    public void A_purpose_is_one_value_of_at_most_200_printable_characters(string? header, string? query, string? faultyField, string? kept)
    {
        var http = new DefaultHttpContext();
        if (header is not null)
        {
            http.Request.Headers[Purpose.Header] = header;
        }

        if (query is not null)
        {
            http.Request.QueryString = QueryString.Create(Purpose.QueryName, query);
        }

        Assert.Equal(faultyField, Purpose.Accept(http)?.Field);
        Assert.Equal(kept, Purpose.Of(http));
    }

    [Fact]
    public void A_purpose_longer_than_200_characters_is_refused()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[Purpose.Header] = new string('p', Purpose.MaxLength + 1);
        Assert.Equal(Purpose.Header, Purpose.Accept(http)?.Field);
        http.Request.Headers[Purpose.Header] = new string('p', Purpose.MaxLength);
        Assert.Null(Purpose.Accept(http));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void No_cursor_is_the_start(string? text)
    {
        Assert.True(AuditCursor.TryParse(text, out var cursor));
        Assert.Null(cursor);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("YXVkaXQ6LTE")]      // audit:-1
    [InlineData("YXVkaXQ6MA")]       // audit:0
    [InlineData("MTIz")]             // 123, without the prefix
    [InlineData("' OR 1=1 --")]
    public void A_cursor_this_api_did_not_write_is_refused(string text) => Assert.False(AuditCursor.TryParse(text, out _));

    [Fact]
    public void A_cursor_reads_back_as_written()
    {
        Assert.True(AuditCursor.TryParse(new AuditCursor(4_000_000_000).ToString(), out var cursor));
        Assert.Equal(4_000_000_000, cursor!.Sequence);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"why\"", "\"say \"\"why\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@sum", "'@sum")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void A_csv_field_is_quoted_when_it_must_be_and_never_read_as_a_formula(string? value, string expected) =>
        Assert.Equal(expected, AuditLog.CsvField(value));
}
