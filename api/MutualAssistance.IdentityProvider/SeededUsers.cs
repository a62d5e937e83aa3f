using System.Text.Json;

namespace MutualAssistance.IdentityProvider;

/// <summary>The users of the users file (<c>IdentityProvider:UsersPath</c>), read once at start-up, in file order.</summary>
public sealed class SeededUsers
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, SeededUser> byId;

    public SeededUsers(IReadOnlyList<SeededUser> users)
    {
        All = users;
        byId = users.ToDictionary(user => user.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<SeededUser> All { get; }

    public SeededUser? Find(string? id) => id is not null && byId.TryGetValue(id, out var user) ? user : null;

    /// <summary>Reads the file: <c>{"users": [{"id", "name", "authority", "role"}, …]}</c>; ids unique, every user a name and a role.</summary>
    public static SeededUsers Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The users file '{Path.GetFullPath(path)}' (setting '{IdentityProviderSettings.UsersPathKey}') does not exist.");
        }

        var file = JsonSerializer.Deserialize<UsersFile>(File.ReadAllText(path), Json)
            ?? throw new InvalidOperationException($"The users file '{path}' is empty.");
        var users = file.Users ?? [];
        if (users.Count == 0)
        {
            throw new InvalidOperationException($"The users file '{path}' lists no user.");
        }

        foreach (var user in users)
        {
            if (string.IsNullOrWhiteSpace(user.Id) || string.IsNullOrWhiteSpace(user.Name) || string.IsNullOrWhiteSpace(user.Role))
            {
                throw new InvalidOperationException($"A user in '{path}' lacks an id, a name or a role: {JsonSerializer.Serialize(user, Json)}.");
            }
        }

        if (users.GroupBy(user => user.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } duplicate)
        {
            throw new InvalidOperationException($"The users file '{path}' lists the id '{duplicate.Key}' twice.");
        }

        return new SeededUsers(users);
    }

    private sealed record UsersFile(List<SeededUser>? Users);
}
