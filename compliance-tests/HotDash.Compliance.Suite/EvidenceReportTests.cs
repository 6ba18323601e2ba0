using System.IO;
using Xunit.Abstractions;

namespace HotDash.Compliance.Suite;

/// <summary>The rules load, and the evidence report is written (its paths are printed in the test output).</summary>
public sealed class EvidenceReportTests(ITestOutputHelper output)
{
    [Fact]
    public void Rules_file_is_valid()
    {
        Assert.True(SuiteAudit.LoadError is null, SuiteAudit.LoadError);
        output.WriteLine($"rules: {SuiteAudit.Outcome.Rules.Origin} (SHA-256 {SuiteAudit.Outcome.Rules.Sha256})");
    }

    [Fact]
    public void Evidence_report_is_written()
    {
        _ = SuiteAudit.Outcome;
        Assert.NotEmpty(SuiteAudit.ReportPaths);
        foreach (var path in SuiteAudit.ReportPaths)
        {
            Assert.True(File.Exists(path), path);
            output.WriteLine($"evidence report: {path}");
        }
    }
}
