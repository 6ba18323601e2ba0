using System;
using System.Collections.Immutable;
using System.Linq;
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
                // A problem is reported in the file that holds it: the rules file, or a file it extends.
                var isRulesFile = rules.IsRulesFile(fileContext.AdditionalFile);
                var here = result.Problems.Where(p => isRulesFile
                    ? p.Origin is null || !result.ExtendsAFile || string.Equals(p.Origin, fileContext.AdditionalFile.Path, StringComparison.Ordinal)
                    : string.Equals(p.Origin, fileContext.AdditionalFile.Path, StringComparison.Ordinal)).ToList();
                var text = here.Count == 0 ? null : fileContext.AdditionalFile.GetText(fileContext.CancellationToken);
                if (text is null)
                {
                    return;
                }

                foreach (var problem in here)
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
