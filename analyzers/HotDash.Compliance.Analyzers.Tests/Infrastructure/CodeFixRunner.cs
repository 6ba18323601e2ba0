using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.Tests.Infrastructure;

/// <summary>Applies a real code fix provider to real files in a Roslyn workspace, as the IDE would.</summary>
internal static class CodeFixRunner
{
    /// <summary>Fixes every diagnostic <paramref name="analyzer"/> reports, one at a time, and returns the files' new text.</summary>
    public static async Task<ImmutableDictionary<string, string>> FixAllAsync(
        ImmutableDictionary<string, string> files, DiagnosticAnalyzer analyzer, CodeFixProvider provider, string equivalenceKey)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Fixed", "Fixed", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
            metadataReferences: AnalyzerRun.References));
        foreach (var (path, text) in files)
        {
            project = project.AddDocument(path, text, filePath: path).Project;
        }

        var solution = project.Solution;
        for (var round = 0; round < 20; round++)
        {
            var current = solution.GetProject(project.Id)!;
            var compilation = (await current.GetCompilationAsync())!;
            var diagnostics = await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();
            var diagnostic = diagnostics.FirstOrDefault(d => provider.FixableDiagnosticIds.Contains(d.Id));
            if (diagnostic is null)
            {
                break;
            }

            var document = current.GetDocument(diagnostic.Location.SourceTree)!;
            CodeAction? fix = null;
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => fix ??= action.EquivalenceKey == equivalenceKey ? action : null, CancellationToken.None));
            if (fix is null)
            {
                break;
            }

            var operations = await fix.GetOperationsAsync(CancellationToken.None);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        }

        var result = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var document in solution.GetProject(project.Id)!.Documents)
        {
            result[document.FilePath!] = (await document.GetTextAsync()).ToString();
        }

        return result.ToImmutable();
    }
}
