using Microsoft.Data.Sqlite;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// Where <see cref="IdentityProviderDbContext"/> keeps OpenIddict's entries: an SQLite database in memory, one per
/// provider instance (several may run in one test process), which lives while this holds a connection to it open and
/// goes with the provider. SQLite rather than EF Core's in-memory provider: OpenIddict revokes a token family with
/// <c>ExecuteUpdate</c>, which that provider lacks, so a replayed code or refresh token revoked nothing (a warning in
/// the log and no more).
/// </summary>
public sealed class InMemoryStore : IDisposable
{
    private readonly SqliteConnection keeper;

    public InMemoryStore()
    {
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = "identity-provider-" + Guid.NewGuid().ToString("N"),
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        keeper = new SqliteConnection(ConnectionString);
        keeper.Open();
    }

    public string ConnectionString { get; }

    /// <summary>Creates OpenIddict's tables, before the provider serves anything.</summary>
    public static async Task CreateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentityProviderDbContext>().Database.EnsureCreatedAsync(cancellationToken);
    }

    public void Dispose() => keeper.Dispose();
}
