using System.Globalization;
using MutualAssistance.Persistence;
using Npgsql;

namespace MutualAssistance.Testing;

/// <summary>
/// A throwaway PostgreSQL server made from the installed binaries: a temporary data folder, a free port on
/// loopback, durability switched off for speed. <see cref="DisposeAsync"/> stops it and deletes the folder;
/// so does the end of the process, should a test run be torn down without disposing.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string InstallHint = "Install PostgreSQL's server binaries: apt-get install -y postgresql (./test.sh does this when run as root).";

    private readonly string root;
    private readonly string binDirectory;
    private int stopped;

    private readonly bool durableCommits;

    private PostgresServer(string root, string binDirectory, int port, bool durableCommits)
    {
        this.root = root;
        this.binDirectory = binDirectory;
        this.durableCommits = durableCommits;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAsync().AsTask().GetAwaiter().GetResult();
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(root, "data");

    /// <summary>The connection string of the server's maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=60;Include Error Detail=true";

    /// <summary>
    /// Starts a server. With <paramref name="durableCommits"/> a commit is answered only once it is in the WAL
    /// (synchronous_commit on, as in production), so that a crash of the server (an immediate stop) loses no
    /// acknowledged transaction; otherwise the last fraction of a second of commits is lost in a crash.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool durableCommits = false)
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), "ma-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgresServer(root, bin, FreePort.Next(), durableCommits);
        try
        {
            await server.InitAndStartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and applies our migrations to it; returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string prefix)
    {
        var connectionString = await CreateDatabaseAsync(prefix);
        var log = new StringWriter(CultureInfo.InvariantCulture);
        if (!DatabaseMigrator.Migrate(connectionString, log))
        {
            throw new InvalidOperationException("Migrations failed:\n" + log);
        }

        return connectionString;
    }

    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }

    /// <summary>Stops the server abruptly (as a crash or a network cut would), keeping its data.</summary>
    public async Task PauseAsync()
    {
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(40));
    }

    /// <summary>Starts a paused server again on the same port, with the same data.</summary>
    public async Task ResumeAsync() => await StartServerAsync();

    private async ValueTask StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(40));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private async Task InitAndStartAsync()
    {
        if (IsRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres account.
            await ProcessRunner.RunAsync("chown", ["postgres:postgres", root], TimeSpan.FromSeconds(10));
        }

        await RunAsync("initdb", ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"], TimeSpan.FromMinutes(2));
        await StartServerAsync();
    }

    private async Task StartServerAsync()
    {
        var options = string.Join(' ',
            $"-p {Port}",
            $"-k {root}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            durableCommits ? "-c synchronous_commit=on" : "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=1000",
            "-c shared_buffers=64MB");
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start"], TimeSpan.FromSeconds(90));
    }

    /// <summary>A plain-text pg_dump of the whole <paramref name="database"/>: schema and every row.</summary>
    public Task<string> DumpAsync(string database) =>
        RunAsync("pg_dump", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "--no-owner", database], TimeSpan.FromMinutes(2));

    /// <summary>The server's write-ahead log segments, as the bytes a backup or a replica would get.</summary>
    public IEnumerable<byte[]> WalSegments() =>
        Directory.EnumerateFiles(Path.Combine(DataDirectory, "pg_wal")).Where(f => Path.GetFileName(f).Length == 24).Select(File.ReadAllBytes);

    private Task<string> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var executable = Path.Combine(binDirectory, tool);
        return IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments], timeout, root)
            : ProcessRunner.RunAsync(executable, arguments, timeout, root);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        foreach (var directory in candidates)
        {
            var initdb = Path.Combine(directory, "initdb");
            if (File.Exists(initdb) && File.Exists(Path.Combine(directory, "pg_ctl")))
            {
                // Where the binaries really are (PATH may hold links to initdb and pg_ctl alone; pg_dump sits beside them).
                return Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb)!;
            }
        }

        throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH nor under /usr/lib/postgresql. " + InstallHint);
    }
}
