using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Json;
using HotDash.Compliance.Analyzers.Rules;
using HotDash.Compliance.StructuredOutputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// HD2001: a JSON schema literal sent to a strict structured-output entry point breaks a strict-mode
/// rule. The diagnostic sits on the offending JSON token inside the C# literal and names the JSON
/// context as the API does. Malformed JSON is reported as such.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StrictSchemaLiteralAnalyzer : DiagnosticAnalyzer
{
    private static readonly Regex FormatName = new("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant, System.TimeSpan.FromMilliseconds(100));

    private static readonly ImmutableHashSet<string> NameParameters = ImmutableHashSet.Create("jsonSchemaFormatName", "functionName", "schemaName", "name");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.StrictSchemaRejected);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var rules = RulesProvider.Get(start).Rules.StructuredOutputs;
            var entryPoints = EntryPoints.Resolve(start.Compilation, rules);
            if (entryPoints is null)
            {
                return;
            }

            // A schema constant used by several calls is reported once per token and problem.
            var reported = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
            start.RegisterOperationAction(c => Analyze(c, entryPoints, rules.Profile, reported), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, EntryPoints entryPoints, StrictProfile profile, System.Collections.Concurrent.ConcurrentDictionary<string, bool> reported)
    {
        if (entryPoints.Match(context.Operation) is not { Schema: { } schemaArgument } call)
        {
            return;
        }

        var invocation = (IInvocationOperation)context.Operation;
        var display = call.EntryPoint.DisplayName;
        CheckFormatName(context, invocation, display, reported);

        var source = SchemaSource.Resolve(schemaArgument, schemaArgument.Syntax.GetLocation(), context.CancellationToken);
        if (source is null)
        {
            // Not a literal (read from a file, built at run time): the test-time audit covers it.
            return;
        }

        var parsed = JsonParser.Parse(source.Json);
        if (!parsed.Succeeded)
        {
            Report(context, source.Locate(parsed.ErrorOffset, 1), display, $"the schema is not valid JSON: {parsed.Error}", reported);
            return;
        }

        foreach (var problem in StrictSchemaValidator.Validate(parsed.Value!, profile))
        {
            Report(context, source.Locate(problem.Start, problem.Length), display, problem.ToString(), reported);
        }
    }

    private static void CheckFormatName(OperationAnalysisContext context, IInvocationOperation invocation, string display, System.Collections.Concurrent.ConcurrentDictionary<string, bool> reported)
    {
        foreach (var argument in invocation.Arguments.Where(a => a.Parameter is not null && NameParameters.Contains(a.Parameter.Name)))
        {
            if (argument.Value.ConstantValue is { HasValue: true, Value: string name } && !FormatName.IsMatch(name))
            {
                Report(context, argument.Value.Syntax.GetLocation(), display, $"the name '{name}' must match ^[a-zA-Z0-9_-]{{1,64}}$", reported);
            }
        }
    }

    private static void Report(OperationAnalysisContext context, Location location, string entryPoint, string message, System.Collections.Concurrent.ConcurrentDictionary<string, bool> reported)
    {
        if (reported.TryAdd($"{location.SourceTree?.FilePath}|{location.SourceSpan}|{message}", true))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.StrictSchemaRejected, location, [context.Operation.Syntax.GetLocation()], entryPoint, message));
        }
    }
}
