namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// Tests that build or pack this repository's own projects (samples/run-audit.sh, dotnet pack) run one after the
/// other: two builds of one project at once would fight over its obj folder.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RepositoryBuilds
{
    public const string Name = "builds of the repository's projects";
}
