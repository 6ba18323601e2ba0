using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Report;
using Xunit.Sdk;
using Xunit.v3;

namespace HotDash.Compliance.Suite;

/// <summary>
/// The verdict of the whole audit, run last (see <see cref="SummaryLast"/>): it fails when any check failed, and its
/// message is the one-screen summary per concern with the path of the evidence report, so a `dotnet test` run ends
/// with it. Derive a class in the collection named <see cref="CollectionName"/>.
/// </summary>
public abstract class ComplianceSummary
{
    public const string CollectionName = "HotDash compliance summary";

    [Fact]
    public void Audit_passes()
    {
        var outcome = SuiteAudit.Outcome;
        var summary = ConsoleSummary.Format(outcome.Report, SuiteAudit.ReportPaths);
        SuiteAudit.FailWhen(!outcome.Report.Passed, summary);
        SuiteAudit.Log(summary);
    }
}

/// <summary>Runs every other test collection first and the <see cref="ComplianceSummary"/> collection last.</summary>
public sealed class SummaryLast : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        testCollections.OrderBy(c => c.TestCollectionDisplayName == ComplianceSummary.CollectionName ? 1 : 0).ThenBy(c => c.TestCollectionDisplayName, System.StringComparer.Ordinal).ToList();
}
