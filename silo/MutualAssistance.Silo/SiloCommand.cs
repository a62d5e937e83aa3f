namespace MutualAssistance.Silo;

/// <summary>
/// The silo's commands: none (run the silo), <c>migrate</c> (apply the database migrations and exit), or
/// <c>rebuild-read-model</c> (recreate the read model from the grains' stored state and exit), or
/// <c>rotate-master-key</c> (rewrap every data key under <c>Sealing:ActiveMasterKey</c> and exit; resumable).
/// </summary>
public static class SiloCommand
{
    public const string Run = "run";
    public const string Migrate = "migrate";
    public const string RebuildReadModel = "rebuild-read-model";
    public const string RotateMasterKey = "rotate-master-key";

    public static (string Command, string[] HostArgs) Parse(string[] args) => args switch
    {
        [Migrate, .. var rest] => (Migrate, rest),
        [RebuildReadModel, .. var rest] => (RebuildReadModel, rest),
        [RotateMasterKey, .. var rest] => (RotateMasterKey, rest),
        [var first, ..] when !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) =>
            throw new ArgumentException($"Unknown command '{first}'. Commands: {Migrate}, {RebuildReadModel}, {RotateMasterKey} (or none, to run the silo)."),
        _ => (Run, args),
    };
}
