using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Testing;

namespace HotDash.Compliance.Audit.Tests.Adoption;

/// <summary>
/// A user clones the repository alone into an empty folder: nothing in it may reach outside it
/// (design notes or fixtures in a sibling folder broke 21 tests for exactly that user).
/// </summary>
public class SelfContainedRepositoryTests
{
    // Built from parts, so that this file does not contain what it looks for.
    private static readonly string Beside = "../" + "sha" + "red";
    private static readonly string BesideAsArguments = "\"..\", \"" + "sha" + "red\"";

    private static readonly string[] TextExtensions = [".cs", ".csproj", ".props", ".targets", ".md", ".json", ".sh", ".yml", ".toml", ".sql", ".sln"];

    [Fact]
    public void No_file_refers_to_a_folder_beside_the_repository()
    {
        var offenders = Directory.EnumerateFiles(Repository.Root, "*", SearchOption.AllDirectories)
            .Where(f => TextExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "artifacts"))
            .Where(f => File.ReadAllText(Repository.PathOf(f)) is var text &&
                        (text.Contains(Beside, StringComparison.Ordinal) || text.Contains(BesideAsArguments, StringComparison.Ordinal)))
            .ToList();

        offenders.Should().BeEmpty("a clone of the repository has nothing beside it");
    }

    [Fact]
    public void The_architecture_notes_and_the_fly_fixtures_are_in_the_repository()
    {
        File.Exists(Repository.PathOf("docs", "architecture.md")).Should().BeTrue();
        var fixtures = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "fly");
        Directory.GetFiles(fixtures, "*.toml").Should().NotBeEmpty();
        File.ReadAllText(Path.Combine(fixtures, "SOURCES.md")).Should().Contain("owner__repository__path");
    }
}
