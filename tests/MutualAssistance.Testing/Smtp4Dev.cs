using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace MutualAssistance.Testing;

/// <summary>
/// A real SMTP server for the tests: smtp4dev (the repository's dotnet tool), on free ports, its messages in memory,
/// read back through its HTTP API.
/// </summary>
public sealed class Smtp4Dev : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient http;
    private readonly string folder;

    private Smtp4Dev(Process process, int smtpPort, int webPort, string folder)
    {
        this.process = process;
        this.folder = folder;
        SmtpPort = smtpPort;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
    }

    public int SmtpPort { get; }

    /// <summary>A message as smtp4dev received it.</summary>
    public sealed record Message(string Id, string To, string Subject, DateTimeOffset ReceivedAt);

    public static async Task<Smtp4Dev> StartAsync()
    {
        var smtpPort = FreePort.Next();
        var webPort = FreePort.Next();
        var folder = Directory.CreateTempSubdirectory("ma-smtp4dev-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root, // where the tool manifest is
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "smtp4dev", $"--urls=http://127.0.0.1:{webPort}", $"--smtpport={smtpPort}", "--bindaddress=127.0.0.1", "--imapport=0", "--pop3port=0",
            "--db=", "--nousersettings", $"--baseappdatapath={folder}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp4dev did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new Smtp4Dev(process, smtpPort, webPort, folder);
        await Poll.Until(async () =>
        {
            try
            {
                return (await server.http.GetAsync("api/messages")).IsSuccessStatusCode ? "up" : null;
            }
            catch (HttpRequestException)
            {
                return process.HasExited ? throw new InvalidOperationException($"smtp4dev exited with {process.ExitCode}.") : null;
            }
        }, TimeSpan.FromSeconds(60), "smtp4dev answering", CancellationToken.None);
        return server;
    }

    public async Task<List<Message>> Messages()
    {
        var page = await http.GetFromJsonAsync<JsonElement>("api/messages?pageSize=500");
        return [.. page.GetProperty("results").EnumerateArray().Select(m => new Message(
            m.GetProperty("id").ToString(),
            string.Join(",", m.GetProperty("to").EnumerateArray().Select(t => t.GetString())),
            m.GetProperty("subject").GetString() ?? string.Empty,
            m.GetProperty("receivedDate").GetDateTimeOffset()))];
    }

    public async Task<string> Text(string id) => await http.GetStringAsync($"api/messages/{id}/plaintext");

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
