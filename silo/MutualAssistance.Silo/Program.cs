using MutualAssistance.Persistence;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Silo;

/// <summary>The silo host, or with <c>migrate</c> the database migrations. (A namespaced class, so that test
/// assemblies can see the API's and the silo's entry points apart.)</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var (command, hostArgs) = SiloCommand.Parse(args);
        var builder = WebApplication.CreateBuilder(hostArgs);

        if (command == SiloCommand.Migrate)
        {
            var connectionString = builder.Configuration.GetRequired(PostgresExtensions.ConnectionStringKey);
            if (!DatabaseMigrator.Migrate(connectionString, Console.Out))
            {
                return 1;
            }

            await LegacyRequestStates.RunAsync(connectionString, ReferenceDataOptions.ReadPath(builder.Configuration), Console.Out);
            return 0;
        }

        if (command == SiloCommand.RebuildReadModel)
        {
            var configuration = builder.Configuration;
            await ReadModelRebuild.RunAsync(
                configuration.GetRequired(PostgresExtensions.ConnectionStringKey),
                ReferenceDataOptions.ReadPath(configuration),
                Sealing.MasterKeyRing.Read(configuration),
                Console.Out);
            return 0;
        }

        if (command == SiloCommand.RotateMasterKey)
        {
            var configuration = builder.Configuration;
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(configuration.GetRequired(PostgresExtensions.ConnectionStringKey));
            var rotation = new Sealing.MasterKeyRotation(dataSource, Sealing.MasterKeyRing.Read(configuration));
            await rotation.RunAsync(Console.Out);
            return 0;
        }

        builder.AddServiceDefaults();
        builder.AddMutualAssistanceSilo();

        var app = builder.Build();
        app.MapMutualAssistanceSilo();
        await app.RunAsync();
        return 0;
    }
}
