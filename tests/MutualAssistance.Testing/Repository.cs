namespace MutualAssistance.Testing;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding MutualAssistance.sln, found above the test assembly.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MutualAssistance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MutualAssistance.sln not found above " + AppContext.BaseDirectory);
    }
}
