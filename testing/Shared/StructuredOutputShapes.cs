#nullable enable
#pragma warning disable CA1812 // serialized by the SDK and walked by the analyzers, not instantiated here
using System.Collections.Generic;

// Real-world-shaped structured-output types, compiled into both test projects: the analyzers read this file as
// source, the audit loads the compiled types, and Microsoft.Extensions.AI generates the schema it sends for each.
// Expected says what each must get from all three (issue 14: the analyzer's prediction, the audit's verdict and the
// wire agree).
namespace HotDash.Compliance.Testing.Shapes;

public sealed record DecisionWithDefault(string Action, string Reason = "");

public sealed class PlanWithDefaultBang
{
    public string[] Steps { get; set; } = default!;

    public required string Title { get; set; }
}

public sealed record SummaryWithNullable(string Headline, string? Escalation = null);

public sealed class RequiredMembers
{
    public required string Owner { get; init; }

    public required int Minutes { get; init; }
}

public enum ShapeMood { Calm, Angry }

public sealed class ShapeStep
{
    public required string Text { get; init; }

    public int Minutes { get; set; } = 5;
}

public sealed class NestedWithDefault
{
    public required ShapeMood Mood { get; init; }

    public required List<ShapeStep> Steps { get; init; }
}

public sealed class WithDictionary
{
    public required Dictionary<string, string> Labels { get; init; }
}

public static class StructuredOutputShapes
{
    /// <summary>Per type, the rule IDs sent in strict mode through Microsoft.Extensions.AI must raise (none: it passes).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Expected = new Dictionary<string, string[]>
    {
        [nameof(DecisionWithDefault)] = ["HD2004"],
        [nameof(PlanWithDefaultBang)] = [],
        [nameof(SummaryWithNullable)] = [],
        [nameof(RequiredMembers)] = [],
        [nameof(NestedWithDefault)] = ["HD2004"],
        [nameof(WithDictionary)] = ["HD2003"],
    };
}
