using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Json;
using HotDash.Compliance.Analyzers.Rules;
using HotDash.Compliance.Providers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HotDash.Compliance.Analyzers.Providers;

/// <summary>
/// HD3001: a connection string in code or appsettings*.json points at a provider the rules forbid
/// (the staging database that ran on Fly Postgres). Hosts are classified by the same code as the
/// test-time provider audit (HD6001).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ForbiddenDatabaseProviderAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ForbiddenDatabaseProvider);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var compilationRules = RulesProvider.Get(start);
            var database = compilationRules.Rules.Database;
            if (database.Forbidden.IsEmpty || database.Hosts.IsEmpty)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeLiteral(c, database), OperationKind.Literal);
            start.RegisterAdditionalFileAction(c =>
            {
                if (compilationRules.IsAppSettingsFile(c.AdditionalFile))
                {
                    AnalyzeAppSettings(c, database);
                }
            });
        });
    }

    private static void AnalyzeLiteral(OperationAnalysisContext context, DatabaseProviders database)
    {
        if (context.Operation.ConstantValue is not { HasValue: true, Value: string value } || !MayBeConnectionString(value))
        {
            return;
        }

        var syntax = context.Operation.Syntax;
        string? source = null;
        foreach (var (host, classification) in Forbidden(value, database))
        {
            source ??= syntax.ToString();
            // A host name has no quotes or escapes: it stands verbatim in the literal's source.
            var offset = source.IndexOf(host.Host, StringComparison.Ordinal);
            var location = offset < 0
                ? syntax.GetLocation()
                : Location.Create(syntax.SyntaxTree, new TextSpan(syntax.SpanStart + offset, host.Host.Length));
            Report(context.ReportDiagnostic, location, classification, database);
        }
    }

    private static void AnalyzeAppSettings(AdditionalFileAnalysisContext context, DatabaseProviders database)
    {
        var text = context.AdditionalFile.GetText(context.CancellationToken);
        if (text is null)
        {
            return;
        }

        var content = text.ToString();
        var parsed = JsonParser.Parse(content);
        if (!parsed.Succeeded)
        {
            return;
        }

        foreach (var value in Strings(parsed.Value!).Where(v => MayBeConnectionString(v.Text!)))
        {
            foreach (var (host, classification) in Forbidden(value.Text!, database))
            {
                var offset = content.IndexOf(host.Host, value.Start, value.Length, StringComparison.Ordinal);
                Report(
                    context.ReportDiagnostic,
                    AdditionalFileLocation.Create(context.AdditionalFile, text, offset < 0 ? value.Start : offset, offset < 0 ? value.Length : host.Host.Length),
                    classification,
                    database);
            }
        }
    }

    /// <summary>Most literals are not connection strings: skip them before any regular expression runs.</summary>
    private static bool MayBeConnectionString(string value) =>
        value.Length >= 6 && (value.IndexOf("://", StringComparison.Ordinal) >= 0 || value.IndexOf('=') >= 0);

    private static IEnumerable<(HostOccurrence Host, HostClassification Classification)> Forbidden(string value, DatabaseProviders database)
    {
        foreach (var host in HostClassifier.FindHosts(value))
        {
            var classification = HostClassifier.Classify(host.Host, database.Hosts);
            if (classification.Provider is { } provider && database.Forbidden.Contains(provider))
            {
                yield return (host, classification);
            }
        }
    }

    private static IEnumerable<JsonValue> Strings(JsonValue root)
    {
        var pending = new Stack<JsonValue>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            switch (value.Kind)
            {
                case JsonKind.String:
                    yield return value;
                    break;
                case JsonKind.Object:
                    foreach (var member in value.Members)
                    {
                        pending.Push(member.Value);
                    }

                    break;
                case JsonKind.Array:
                    foreach (var item in value.Items)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }
    }

    private static void Report(Action<Diagnostic> report, Location location, HostClassification classification, DatabaseProviders database) =>
        report(Diagnostic.Create(
            Descriptors.ForbiddenDatabaseProvider,
            location,
            classification.Host,
            classification.Provider,
            classification.Pattern,
            database.Declared ?? "(none declared)"));
}
