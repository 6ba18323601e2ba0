using System.IO;

namespace HotDash.Compliance.Suite;

/// <summary>The rules load, and the evidence report is written (its paths are printed in the test output).</summary>
public abstract class EvidenceReport
{
    [Fact]
    public void Rules_file_is_valid()
    {
        SuiteAudit.FailWhen(SuiteAudit.LoadError is not null, SuiteAudit.LoadError!);
        SuiteAudit.Log($"rules: {SuiteAudit.Outcome.Rules.Origin} (SHA-256 {SuiteAudit.Outcome.Rules.Sha256})");
    }

    [Fact]
    public void Evidence_report_is_written()
    {
        _ = SuiteAudit.Outcome;
        SuiteAudit.FailWhen(SuiteAudit.ReportPaths.Count == 0, "no evidence report was written");
        foreach (var path in SuiteAudit.ReportPaths)
        {
            SuiteAudit.FailWhen(!File.Exists(path), $"the evidence report {path} is missing");
            SuiteAudit.Log($"evidence report: {path}");
        }
    }
}
