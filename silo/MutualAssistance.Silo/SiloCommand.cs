namespace MutualAssistance.Silo;

/// <summary>
/// The silo's commands: none (run the silo), <c>migrate</c> (apply the database migrations and exit), or
/// <c>rebuild-read-model</c> (recreate the read model from the grains' stored state and exit).
/// </summary>
public static class SiloCommand
{
    public const string Run = "run";
    public const string Migrate = "migrate";
    public const string RebuildReadModel = "rebuild-read-model";

    public static (string Command, string[] HostArgs) Parse(string[] args) => args switch
    {
        [Migrate, .. var rest] => (Migrate, rest),
        [RebuildReadModel, .. var rest] => (RebuildReadModel, rest),
        [var first, ..] when !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) =>
            throw new ArgumentException($"Unknown command '{first}'. Commands: {Migrate}, {RebuildReadModel} (or none, to run the silo)."),
        _ => (Run, args),
    };
}
