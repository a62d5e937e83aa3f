using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo;
using MutualAssistance.Silo.Database;

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
