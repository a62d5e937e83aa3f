using System.Globalization;
using System.Text;
using MailKit.Net.Smtp;
using MimeKit;
using MutualAssistance.Domain.ReferenceData;
using Npgsql;

namespace MutualAssistance.Notifications;

/// <summary>
/// Sends each address's items due as one digest mail (MailKit over SMTP), at most one per
/// <see cref="MailOptions.DigestInterval"/> unless an item goes at once, in the address's language, and marks them sent
/// in the transaction that locked them: a mail the server accepted is not sent again (a crash between the server's
/// answer and the commit is the one case that sends it twice). One silo of the cluster sends at a time.
/// </summary>
public sealed partial class MailSender(NpgsqlDataSource dataSource, MailOptions options, CurrentReferenceData referenceData, ILogger<MailSender> logger)
{
    private const long LockKey = 0x4D41_4D41_494C; // "MAMAIL"
    private const int AddressesPerRound = 100;

    /// <summary>Sends what is due; the number of mails sent (0 when mail is off or another silo sends).</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        try
        {
            var sent = 0;
            var addresses = await MailQueue.DueAddresses(connection, options.DigestInterval, AddressesPerRound, cancellationToken);
            if (addresses.IsEmpty)
            {
                return 0;
            }

            using var smtp = new SmtpClient();
            await smtp.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken);
            foreach (var address in addresses)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var items = await MailQueue.Due(connection, transaction, address, cancellationToken);
                if (items.IsEmpty)
                {
                    continue;
                }

                await smtp.SendAsync(Compose(address, items), cancellationToken);
                await MailQueue.Sent(connection, transaction, address, items, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                sent++;
            }

            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return sent;
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException)
        {
            LogNotSent(e.Message); // the items stay unsent; the next round tries again
            return 0;
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private MimeMessage Compose(string address, IReadOnlyList<MailItem> items)
    {
        var language = CultureInfo.GetCultureInfo(items[0].Language);
        var authority = items[0].Authority;
        var zone = referenceData.Set.CalendarOf(authority).Zone;
        var body = new StringBuilder();
        body.AppendLine(MailText.Format(MailText.Intro, language, authority)).AppendLine();
        foreach (var item in items)
        {
            var data = NotificationPayload.FromJson(item.Payload).Data;
            var what = item.Level == 0 ? MailText.Format(MailText.Breach, language) : MailText.Format(MailText.Escalation, language, item.Level);
            var at = NodaTime.Instant.FromDateTimeOffset(data.At).InZone(zone).ToDateTimeOffset();
            body.AppendLine(MailText.Format(MailText.Line, language, what, item.RequestId, data.RequestingAuthority,
                data.RequestedAuthority, at.ToString("f", language) + " " + zone.Id));
            if (data.Subject is { Length: > 0 } line)
            {
                body.AppendLine("  " + MailText.Format(MailText.SubjectLine, language, line));
            }

            foreach (var change in data.ClockChanges.IsDefault ? [] : data.ClockChanges)
            {
                body.AppendLine("  " + change);
            }
        }

        body.AppendLine().AppendLine(MailText.Format(MailText.Closing, language));
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(address));
        message.Subject = MailText.Format(MailText.Subject, language, items.Count, authority);
        message.Headers.Add(HeaderId.ContentLanguage, language.Name);
        message.Body = new TextPart("plain") { Text = body.ToString() };
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification mail not sent: {Error}; it waits and is retried")]
    private partial void LogNotSent(string error);
}
