using System.Collections.Immutable;
using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.Rules;

/// <summary>HD0001: the rules file does not parse or does not match the schema; reported at line:col in that file.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RulesFileAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.RulesFileInvalid);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var rules = RulesProvider.Get(start);
            if (rules.FileResult is not { Problems.IsEmpty: false } result)
            {
                return;
            }

            start.RegisterAdditionalFileAction(fileContext =>
            {
                if (!rules.IsRulesFile(fileContext.AdditionalFile))
                {
                    return;
                }

                var text = fileContext.AdditionalFile.GetText(fileContext.CancellationToken);
                if (text is null)
                {
                    return;
                }

                foreach (var problem in result.Problems)
                {
                    var where = problem.Path.Length == 0 ? "JSON syntax" : problem.Path;
                    fileContext.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.RulesFileInvalid,
                        AdditionalFileLocation.Create(fileContext.AdditionalFile, text, problem.Start, problem.Length),
                        where,
                        problem.Message));
                }
            });
        });
    }
}
