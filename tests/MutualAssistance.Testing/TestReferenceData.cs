using System.Text.Json;
using System.Text.Json.Nodes;

namespace MutualAssistance.Testing;

/// <summary>
/// The reference data the tests run on: the shipped folder, except that the EU and Council of Europe instruments the
/// tests exercise (the EIO and CETS 224, whose clocks are the richest) bind every state of the directory. TEST DATA,
/// NOT LAW: none of the directory's states is bound by either (instruments/eio.json, cets224.json say who is). Tests
/// of who is bound use the shipped folder itself (<see cref="ShippedFolder"/>).
/// </summary>
public static class TestReferenceData
{
    /// <summary>
    /// The basis the tests file under when they need a treaty's target clocks (policy "treaty"): the Shanghai Convention
    /// (2001), which binds KZ, CN, KG, RU, TJ and UZ and records no designations, so that any of their authorities may
    /// be asked under it.
    /// </summary>
    public const string TreatyBasis = "sco-shanghai-2001";

    /// <summary>The instruments whose parties the test data widens to every state of the directory.</summary>
    public static readonly string[] WidenedInstruments = ["eio", "cets224"];

    private const string TestSource = "TEST DATA, NOT LAW: the test suite binds every state of the directory so that this instrument's clocks run between its authorities";

    private static readonly Lazy<string> Built = new(Build);

    /// <summary>The shipped reference data, as copied beside the test assembly.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "ReferenceData");

    /// <summary>The folder of the test data, built once per test run.</summary>
    public static string Folder => Built.Value;

    private static string Build()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ma-reference-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Write(ShippedFolder, folder);
        return folder;
    }

    /// <summary>Writes the test data into <paramref name="folder"/>: the reference data of <paramref name="shipped"/>, the EIO and CETS 224 widened.</summary>
    public static void Write(string shipped, string folder)
    {
        foreach (var file in Directory.GetFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        var states = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "authorities.json")), documentOptions: Comments)!.AsArray()
            .Select(a => (string)a!["state"]!).Distinct().Order(StringComparer.Ordinal).ToArray();
        foreach (var code in WidenedInstruments)
        {
            var path = Path.Combine(folder, "instruments", code + ".json");
            var instrument = JsonNode.Parse(File.ReadAllText(path), documentOptions: Comments)!.AsObject();
            instrument["entryIntoForce"] ??= "2017-05-22";
            var since = (string)instrument["entryIntoForce"]!;
            var parties = instrument["parties"]!.AsArray();
            foreach (var state in states.Where(s => parties.All(p => (string)p!["state"]! != s)))
            {
                parties.Add(new JsonObject
                {
                    ["state"] = state,
                    ["since"] = since,
                    ["languages"] = new JsonArray(),
                    ["source"] = new JsonObject { ["citation"] = TestSource, ["confidence"] = "lead" },
                });
            }

            File.WriteAllText(path, instrument.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    private static readonly JsonDocumentOptions Comments = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
}
