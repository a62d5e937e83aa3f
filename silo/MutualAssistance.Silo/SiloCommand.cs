namespace MutualAssistance.Silo;

/// <summary>The silo's commands: none (run the silo) or <c>migrate</c> (apply the database migrations and exit).</summary>
public static class SiloCommand
{
    public const string Run = "run";
    public const string Migrate = "migrate";

    public static (string Command, string[] HostArgs) Parse(string[] args) => args switch
    {
        [Migrate, .. var rest] => (Migrate, rest),
        [var first, ..] when !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) =>
            throw new ArgumentException($"Unknown command '{first}'. Commands: {Migrate} (or none, to run the silo)."),
        _ => (Run, args),
    };
}
