using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Notifications;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Notification mail (README, "Notifications") through a real SMTP server (smtp4dev): a breach and its escalations
/// mailed to each authority's addresses for their levels, in the address's language, one digest per interval per
/// address (level 3 at once), each event once.
/// </summary>
public sealed class MailTests(DatabaseFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_mail_text_is_in_english_russian_and_chinese()
    {
        foreach (var key in MailText.All)
        {
            var english = MailText.Exactly(key, CultureInfo.InvariantCulture);
            Assert.False(string.IsNullOrWhiteSpace(english), key);
            foreach (var language in new[] { "ru", "zh" })
            {
                var text = MailText.Exactly(key, new CultureInfo(language));
                Assert.False(string.IsNullOrWhiteSpace(text), $"{key}: no text in MailText.{language}.resx");
                Assert.NotEqual(english, text);
            }
        }
    }

    [Fact]
    public async Task Breaches_and_escalations_are_mailed_per_level_in_the_recipients_language_one_digest_per_interval()
    {
        await using var smtp = await Smtp4Dev.StartAsync();
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("mail");
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 3, 2, 0, 0, TimeSpan.Zero)); // the past: every item is due now
        await using var silo = await InProcessSilo.StartAsync(connectionString, "mail-" + Guid.NewGuid().ToString("N")[..8],
            configure: services => services.AddKeyedSingleton<TimeProvider>(DeadlineTime.Key, time),
            settings: new Dictionary<string, string?>
            {
                ["Notifications:Email:Enabled"] = "true",
                ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
                ["Notifications:Email:Smtp:Port"] = smtp.SmtpPort.ToString(CultureInfo.InvariantCulture),
                ["Notifications:Email:Smtp:Security"] = "None",
                ["Notifications:Email:From"] = "deadlines@mutual-assistance.test",
                ["Notifications:Email:OfficeHours:Opens"] = "09:00",
                ["Notifications:Email:OfficeHours:Closes"] = "18:00",
                ["Notifications:Email:DigestInterval"] = "00:00:04",
                ["Notifications:Email:IncludeSubject"] = "false",
                ["Notifications:Email:Recipients:0:Authority"] = "CN-MOJ",
                ["Notifications:Email:Recipients:0:Address"] = "deadlines@moj.cn.test",
                ["Notifications:Email:Recipients:0:Language"] = "zh",
                ["Notifications:Email:Recipients:0:Levels"] = "0,1,2,3",
                ["Notifications:Email:Recipients:1:Authority"] = "KZ-GP",
                ["Notifications:Email:Recipients:1:Address"] = "head@gp.kz.test",
                ["Notifications:Email:Recipients:1:Language"] = "ru",
                ["Notifications:Email:Recipients:1:Levels"] = "3",
            });
        var grains = (IGrainFactory)silo.Services.GetService(typeof(IGrainFactory))!;

        // A request whose decision clock is 31 days past due: its breach and levels 1 to 3 at once.
        var first = await EioRequests.FiledAndAcknowledged(grains);
        time.SetUtcNow(await EioRequests.DecisionDue(first) + TimeSpan.FromDays(31));
        await first.Wake();
        var messages = await Poll.Until(async () => await smtp.Messages() is { Count: 2 } m ? m : null, TimeSpan.FromSeconds(30), "two mails", Cancel);
        var cn = Assert.Single(messages, m => m.To.Contains("deadlines@moj.cn.test", StringComparison.Ordinal));
        var kz = Assert.Single(messages, m => m.To.Contains("head@gp.kz.test", StringComparison.Ordinal));
        Assert.Equal("MutualAssistance：CN-MOJ 的期限通知 4 条", cn.Subject);
        Assert.Equal("MutualAssistance: уведомлений о сроках для KZ-GP: 1", kz.Subject);
        var cnText = await smtp.Text(cn.Id);
        Assert.Contains(first.GetPrimaryKey().ToString(), cnText, StringComparison.Ordinal);
        Assert.Contains("期限已违反", cnText, StringComparison.Ordinal);
        Assert.Contains("升级，第 3 级", cnText, StringComparison.Ordinal);
        Assert.DoesNotContain("Transfers between March", cnText, StringComparison.Ordinal); // no personal data: the facts stay sealed
        Assert.Contains("Эскалация, уровень 3", await smtp.Text(kz.Id), StringComparison.Ordinal);

        // A second request's breach and level 1 (nothing at once): CN's digest waits for its interval; KZ lists level 3 only.
        var second = await EioRequests.FiledAndAcknowledged(grains);
        time.SetUtcNow(await EioRequests.DecisionDue(second) + TimeSpan.FromHours(1));
        await second.Wake();
        var third = await Poll.Until(async () => (await smtp.Messages()).Where(m => m.Id != cn.Id && m.Id != kz.Id).ToList() is [var m] ? m : null,
            TimeSpan.FromSeconds(30), "CN's next digest", Cancel);
        Assert.Contains("deadlines@moj.cn.test", third.To, StringComparison.Ordinal);
        Assert.Equal("MutualAssistance：CN-MOJ 的期限通知 2 条", third.Subject);
        Assert.True(third.ReceivedAt - cn.ReceivedAt >= TimeSpan.FromSeconds(3.5), $"the digest came {(third.ReceivedAt - cn.ReceivedAt).TotalSeconds:0.0} s after the last");
        Assert.Contains(second.GetPrimaryKey().ToString(), await smtp.Text(third.Id), StringComparison.Ordinal);

        // Each event once: once nothing is queued or unsent, no mail can follow, and there are three.
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        await Poll.Until(async () =>
        {
            await using var left = dataSource.CreateCommand(
                "SELECT (SELECT count(*) FROM notification_events) + (SELECT count(*) FROM email_items WHERE sent_at IS NULL)");
            return (long)(await left.ExecuteScalarAsync(Cancel))! == 0 ? "all sent" : null;
        }, TimeSpan.FromSeconds(30), "every event fanned out and every item sent", Cancel);
        Assert.Equal(3, (await smtp.Messages()).Count);
    }
}
