using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo.Database;

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
            return DatabaseMigrator.Migrate(builder.Configuration.GetRequired(PostgresExtensions.ConnectionStringKey), Console.Out) ? 0 : 1;
        }

        builder.AddServiceDefaults();
        builder.AddMutualAssistanceSilo();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
        return 0;
    }
}
