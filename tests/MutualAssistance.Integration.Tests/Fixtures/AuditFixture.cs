using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using MutualAssistance.Testing;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A silo and the API on a database of their own, for the consultation log's tests: they break the log on purpose
/// (a refusing constraint, a tampered row) and restore it, which no other collection's database must see.
/// </summary>
public sealed class AuditFixture(DatabaseFixture database) : IAsyncLifetime
{
    private InProcessSilo? silo;
    private WebApplicationFactory<Program>? api;

    public WebApplicationFactory<Program> Api => api ?? throw new InvalidOperationException("Not started.");

    public string ConnectionString { get; private set; } = string.Empty;

    public string ClusterId { get; } = "audit-" + Guid.NewGuid().ToString("N")[..8];

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateMigratedDatabaseAsync("audit");
        silo = await InProcessSilo.StartAsync(ConnectionString, ClusterId);
        api = ApiFactory.Create(ConnectionString, ClusterId);
    }

    /// <summary>Another API on the same cluster and database, with <c>Audit:PurposeRequired</c> true.</summary>
    public WebApplicationFactory<Program> ApiRequiringPurpose() =>
        ApiFactory.Create(ConnectionString, ClusterId).WithWebHostBuilder(web => web.UseSetting("Audit:PurposeRequired", "true"));

    /// <summary>
    /// Another API on the same cluster and database whose calls all come from <paramref name="clientAddress"/> (the
    /// in-memory server knows none), with the anonymous rate limit given.
    /// </summary>
    public WebApplicationFactory<Program> ApiFrom(string clientAddress, int anonymousPermitsPerSecond, int anonymousBurst) =>
        ApiFactory.Create(ConnectionString, ClusterId, settings: new Dictionary<string, string>
        {
            ["RateLimiting:Anonymous:PermitsPerSecond"] = anonymousPermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:Anonymous:Burst"] = anonymousBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new ClientAddressFilter(System.Net.IPAddress.Parse(clientAddress)))));

    /// <summary>The stored entries, oldest first, that match a condition on audit_log's columns (parameters @p0, @p1, ...).</summary>
    public async Task<List<StoredEntry>> Entries(string where, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT sequence, subject, authority, role, action, request_id, parts, outcome, purpose, recipient, source, calls FROM audit_log WHERE {where} ORDER BY sequence",
            connection);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", values[i]);
        }

        var entries = new List<StoredEntry>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            entries.Add(new StoredEntry(
                reader.GetInt64(0), Text(reader, 1), Text(reader, 2), Text(reader, 3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                Text(reader, 6), reader.GetString(7), Text(reader, 8), Text(reader, 9), Text(reader, 10), reader.IsDBNull(11) ? null : reader.GetInt32(11)));
        }

        return entries;
    }

    /// <summary>Runs statements as the server's superuser (who may disable triggers), in one transaction.</summary>
    public async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.DisposeAsync();
        }
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>A row of audit_log as a test reads it straight from the database.</summary>
public sealed record StoredEntry(
    long Sequence, string? Subject, string? Authority, string? Role, string Action, Guid? RequestId, string? Parts, string Outcome, string? Purpose, string? Recipient,
    string? Source = null, int? Calls = null);

/// <summary>Sets every call's client address first thing, as a real server would from the connection.</summary>
public sealed class ClientAddressFilter(System.Net.IPAddress address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, proceed) =>
        {
            context.Connection.RemoteIpAddress = address;
            return proceed(context);
        });
        next(app);
    };
}

[CollectionDefinition(Name)]
public sealed class AuditCollection : ICollectionFixture<AuditFixture>
{
    public const string Name = "audit";
}
