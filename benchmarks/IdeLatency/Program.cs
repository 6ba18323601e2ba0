using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

BenchmarkRunner.Run<SingleDocumentLatency>(args: args);

/// <summary>
/// What the IDE does on a keystroke in one file: run every HotDash analyzer over that document's
/// syntax and semantics (CompilationWithAnalyzers on a single tree). The compilation is built once;
/// each iteration starts from a fresh CompilationWithAnalyzers, as an edit would.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 20)]
public class SingleDocumentLatency
{
    private Compilation _compilation = null!;
    private SyntaxTree _document = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private AnalyzerOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        var repository = FindRepository();
        var agent = Path.Combine(repository, "samples", "HotDash.AgentService");
        var files = Directory.GetFiles(agent, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => !f.EndsWith("Program.cs", StringComparison.Ordinal))
            .ToList();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("global using System; global using System.Threading; global using System.Threading.Tasks; global using Microsoft.Extensions.Configuration;", path: "GlobalUsings.cs"));

        // The typical document: the agent's tool definitions (schema literals, strict calls, ordinary code).
        _document = trees.Single(t => t.FilePath.EndsWith("AgentTools.cs", StringComparison.Ordinal));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        _compilation = CSharpCompilation.Create("Agent", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _analyzers = [.. typeof(HotDash.Compliance.Analyzers.Diagnostics.Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];
        _options = new AnalyzerOptions([new FileText(Path.Combine(repository, "samples", "hotdash.rules.json"))]);

        // Bind the document once so that the iterations measure the analyzers, not the compiler.
        _compilation.GetSemanticModel(_document).GetDiagnostics();

        // The document carries a schema strict mode rejects: if HD2001 is not found, nothing is measured.
        if (AnalyzeOneDocument().GetAwaiter().GetResult() == 0)
        {
            throw new InvalidOperationException("the analyzers reported nothing on AgentTools.cs: the benchmark would measure an idle run");
        }
    }

    [Benchmark]
    public async Task<int> AnalyzeOneDocument()
    {
        var withAnalyzers = _compilation.WithAnalyzers(_analyzers, _options);
        var model = _compilation.GetSemanticModel(_document);
        var syntax = await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(_document, CancellationToken.None);
        var semantic = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None);
        return syntax.Length + semantic.Length;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HotDash.Compliance.sln")))
            {
                return directory.FullName;
            }
        }

        // BenchmarkDotNet runs a generated copy elsewhere: fall back to the working directory's repository.
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HotDash.Compliance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the HotDash.Compliance repository");
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }
}
