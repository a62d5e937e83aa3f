using Orleans.Serialization;
using Orleans.Storage;

namespace MutualAssistance.Silo;

/// <summary>Orleans' ADO.NET providers on our PostgreSQL schema (see Database/Migrations).</summary>
public static class OrleansPostgres
{
    /// <summary>The ADO.NET invariant name under which the providers load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, string connectionString) =>
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

    /// <summary>
    /// Reminders, and ADO.NET grain storage as the default provider for grain state that needs no more than an opaque
    /// payload (the requests keep their own store, see Requests/PostgresRequestStore). State is written with the
    /// Orleans serializer, which names types and fields by their [Alias] and [Id], so stored state survives renames
    /// of types and namespaces.
    /// </summary>
    public static ISiloBuilder UsePostgresStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorageAsDefault(optionsBuilder => optionsBuilder.Configure<Serializer>((options, serializer) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }
}
