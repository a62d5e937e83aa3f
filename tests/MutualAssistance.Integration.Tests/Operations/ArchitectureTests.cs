using System.Collections.Frozen;
using System.Xml.Linq;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The dependency rules of the house (docs/architecture.md, "Projects and their dependencies"), read from the project
/// files themselves: each production project may reference only the projects its row allows, the domain carries no
/// runtime of Orleans, no Npgsql and no ASP.NET Core, and a new project fails here until it is given a row.
/// </summary>
[Trait("Category", "Fast")]
public sealed class ArchitectureTests
{
    private const string Contracts = "MutualAssistance.Contracts";
    private const string Domain = "MutualAssistance.Domain";
    private const string Grains = "MutualAssistance.Grains";
    private const string ServiceDefaults = "MutualAssistance.ServiceDefaults";
    private const string Sealing = "MutualAssistance.Sealing";
    private const string Audit = "MutualAssistance.Audit";
    private const string ReadSide = "MutualAssistance.ReadSide";
    private const string Notifications = "MutualAssistance.Notifications";
    private const string Federation = "MutualAssistance.Federation";
    private const string Persistence = "MutualAssistance.Persistence";
    private const string Api = "MutualAssistance.Api";

    /// <summary>
    /// What each production project may reference directly. Dependencies point inward: the domain knows the contracts
    /// only; a capability knows the domain, the contracts and the foundations below it (Sealing's key ring, the
    /// consultation log's writer) but no other capability; the API knows the contracts and the read side of the
    /// capabilities it serves, never the domain's grains; the silo, the host, composes everything.
    /// </summary>
    private static readonly FrozenDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        [Contracts] = [],
        [Domain] = [Contracts],
        [Grains] = [Contracts, Domain],
        [ServiceDefaults] = [],
        [Sealing] = [ServiceDefaults],
        [Audit] = [Contracts, ServiceDefaults],
        [ReadSide] = [Contracts, Domain, ServiceDefaults],
        [Notifications] = [Contracts, Domain, ServiceDefaults],
        // A shared request's records are sealed at rest, and each relay of personal data is a consultation.
        [Federation] = [Contracts, Domain, ServiceDefaults, Sealing, Audit],
        // A commit writes the request (sealed), its history and its read-model rows in one transaction.
        [Persistence] = [Contracts, Domain, ServiceDefaults, Sealing, ReadSide],
        // The API logs each consultation, registers webhooks and turns a searched name into the person index's tokens.
        [Api] = [Contracts, ServiceDefaults, ReadSide, Audit, Notifications, Sealing],
        ["MutualAssistance.Api.Host"] = [Api, ServiceDefaults],
        ["MutualAssistance.IdentityProvider"] = [ServiceDefaults],
        ["MutualAssistance.Silo"] = [Contracts, Domain, Grains, ServiceDefaults, Sealing, Audit, ReadSide, Notifications, Federation, Persistence, Api],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Packages the domain, and the contracts it builds on, must not carry: they are plain C# the fast tests drive.
    /// Orleans' abstractions and its code generator give them the serializer attributes and grain interfaces; the SDK
    /// would bring Microsoft.Orleans.Core, the client runtime, with it.
    /// </summary>
    private static readonly string[] NotInTheDomain =
        ["Microsoft.Orleans.Sdk", "Microsoft.Orleans.Core", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Server", "Microsoft.Orleans.Client", "Microsoft.Orleans.Reminders", "Npgsql", "Microsoft.AspNetCore.App"];

    public static TheoryData<string> ProductionProjects() => [.. ProjectFiles().Where(p => !IsTest(p)).Select(Name)];

    [Theory]
    [MemberData(nameof(ProductionProjects))]
    public void A_project_references_only_what_its_row_allows(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out var allowed), $"{project} has no row in the dependency rules: decide what it may reference.");
        var references = References(ProjectFiles().Single(p => Name(p) == project));
        Assert.All(references, r => Assert.True(allowed.Contains(r), $"{project} references {r}, which its row does not allow."));
    }

    [Theory]
    [InlineData(Domain)]
    [InlineData(Contracts)]
    public void The_domain_and_its_contracts_carry_no_Orleans_runtime_no_Npgsql_and_no_ASP_NET_Core(string project)
    {
        var domain = XDocument.Load(ProjectFiles().Single(p => Name(p) == project));
        var used = domain.Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "FrameworkReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .ToList();
        Assert.Empty(used.Intersect(NotInTheDomain, StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_silo_references_the_grains()
    {
        var referrers = ProjectFiles().Where(p => !IsTest(p) && References(p).Contains(Grains)).Select(Name);
        Assert.Equal(["MutualAssistance.Silo"], referrers);
    }

    [Fact]
    public void Every_project_is_in_the_solution()
    {
        var solution = File.ReadAllText(Path.Combine(Repository.Root, "MutualAssistance.sln"));
        Assert.All(ProjectFiles(), p => Assert.Contains(
            Path.GetRelativePath(Repository.Root, p).Replace('/', '\\'), solution, StringComparison.Ordinal));
    }

    [Fact]
    public void The_READMEs_layout_and_the_architecture_page_name_every_production_project()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var architecture = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        Assert.All(ProjectFiles().Where(p => !IsTest(p)), project =>
        {
            var folder = Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(project)!).Replace('\\', '/');
            Assert.Contains($"`{folder}`", readme, StringComparison.Ordinal);
            Assert.Contains($"`{folder}`", architecture, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("silo/Dockerfile", "silo/MutualAssistance.Silo/MutualAssistance.Silo.csproj")]
    [InlineData("api/Dockerfile", "api/MutualAssistance.Api.Host/MutualAssistance.Api.Host.csproj")]
    public void An_image_copies_every_project_its_host_references(string dockerfile, string host)
    {
        // Both for the restore layer (the project file) and for the build (the folder): a project left out builds
        // here and fails only in the image.
        var text = File.ReadAllText(Path.Combine(Repository.Root, dockerfile));
        var closure = new SortedSet<string>(StringComparer.Ordinal);
        Collect(Path.GetFullPath(Path.Combine(Repository.Root, host)), closure);
        Assert.All(closure, project =>
        {
            var relative = Path.GetRelativePath(Repository.Root, project).Replace('\\', '/');
            Assert.Contains($"COPY {relative} ", text, StringComparison.Ordinal);
            Assert.Contains($"COPY --exclude=**/bin --exclude=**/obj {Path.GetDirectoryName(relative)!.Replace('\\', '/')}/ ", text, StringComparison.Ordinal);
        });
    }

    private static void Collect(string project, SortedSet<string> closure)
    {
        if (!closure.Add(project))
        {
            return;
        }

        foreach (var reference in XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            Collect(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, ((string)reference.Attribute("Include")!).Replace('\\', '/'))), closure);
        }
    }

    private static IEnumerable<string> ProjectFiles() =>
        new[] { "grains", "silo", "api", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static bool IsTest(string project) =>
        Path.GetRelativePath(Repository.Root, project).StartsWith("tests", StringComparison.Ordinal);

    private static string Name(string project) => Path.GetFileNameWithoutExtension(project);

    private static string[] References(string project) =>
        [.. XDocument.Load(project).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string)e.Attribute("Include")!).Replace('\\', '/')))];
}
