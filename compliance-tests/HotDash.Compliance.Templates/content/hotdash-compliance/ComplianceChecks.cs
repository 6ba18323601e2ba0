// The HotDash compliance suite: one class per concern, each a test case per table, function, view,
// bucket, schema, migration, Fly process group, structured-output type, endpoint and repository file. The checks live in
// HotDash.Compliance.Suite; what they audit comes from the HOTDASH_* variables and hotdash.rules.json.
using HotDash.Compliance.Suite;
using Xunit;

// One audit per run, shared by every class; the summary comes last so the run ends with it.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
[assembly: TestCollectionOrderer(typeof(SummaryLast))]

namespace HotDash.Compliance.Checks;

public sealed class Rules : EvidenceReport;

public sealed class Database : DatabaseCompliance;

public sealed class Fly : FlyCompliance;

public sealed class StructuredOutputs : StructuredOutputCompliance;

public sealed class Latency : LatencyCompliance;

public sealed class Repository : RepositoryCompliance;

[Collection(ComplianceSummary.CollectionName)]
public sealed class Summary : ComplianceSummary;
