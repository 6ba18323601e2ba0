using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HotDash.Compliance.Analyzers.Secrets;

/// <summary>
/// HD1002: a constant string matches a secret pattern of the rules (Shopify tokens by default).
/// Every literal form counts (regular, verbatim, raw, interpolated text, UTF-8), as do constant
/// concatenations that only form the secret once folded, and AdditionalFiles other than the rules file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardcodedSecretAnalyzer : DiagnosticAnalyzer
{
    private const string DefaultHint = "keep it in a secret store";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HardcodedSecret);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var compilationRules = RulesProvider.Get(start);
            var patterns = compilationRules.Rules.SecretPatterns;
            if (patterns.IsEmpty)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeLiteral(c, patterns), OperationKind.Literal, OperationKind.Utf8String);
            start.RegisterOperationAction(c => AnalyzeConcatenation(c, patterns), OperationKind.Binary);
            start.RegisterAdditionalFileAction(c =>
            {
                if (!compilationRules.IsRulesFile(c.AdditionalFile))
                {
                    AnalyzeAdditionalFile(c, patterns);
                }
            });
        });
    }

    private static void AnalyzeLiteral(OperationAnalysisContext context, ImmutableArray<SecretPattern> patterns)
    {
        var value = context.Operation switch
        {
            ILiteralOperation { ConstantValue: { HasValue: true, Value: string s } } => s,
            IUtf8StringOperation utf8 => utf8.Value,
            _ => null,
        };
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var syntax = context.Operation.Syntax;
        var source = syntax.ToString();
        foreach (var pattern in patterns)
        {
            foreach (var match in Matches(pattern, value!))
            {
                // A secret has no quotes or escapes, so its text stands verbatim in every literal form;
                // point at it exactly, or at the whole literal if it does not.
                var offset = source.IndexOf(match, System.StringComparison.Ordinal);
                var location = offset < 0
                    ? syntax.GetLocation()
                    : Location.Create(syntax.SyntaxTree, new TextSpan(syntax.SpanStart + offset, match.Length));
                Report(context.ReportDiagnostic, location, pattern, match);
            }
        }
    }

    private static void AnalyzeConcatenation(OperationAnalysisContext context, ImmutableArray<SecretPattern> patterns)
    {
        var binary = (IBinaryOperation)context.Operation;
        if (binary.ConstantValue is not { HasValue: true, Value: string folded } ||
            binary.Parent is IBinaryOperation { ConstantValue.HasValue: true })
        {
            // Only the outermost constant concatenation is looked at.
            return;
        }

        var leaves = binary.Descendants()
            .Select(d => d.ConstantValue)
            .Where(c => c.HasValue && c.Value is string)
            .Select(c => (string)c.Value!)
            .ToArray();
        foreach (var pattern in patterns)
        {
            foreach (var match in Matches(pattern, folded))
            {
                // A match inside a single literal is reported by that literal.
                if (!leaves.Any(leaf => leaf.Contains(match) && binary.Descendants().Any(d => d is ILiteralOperation && Equals(d.ConstantValue.Value, leaf))))
                {
                    Report(context.ReportDiagnostic, binary.Syntax.GetLocation(), pattern, match);
                }
            }
        }
    }

    private static void AnalyzeAdditionalFile(AdditionalFileAnalysisContext context, ImmutableArray<SecretPattern> patterns)
    {
        var text = context.AdditionalFile.GetText(context.CancellationToken);
        if (text is null)
        {
            return;
        }

        var content = text.ToString();
        foreach (var pattern in patterns)
        {
            foreach (Match match in SafeMatches(pattern, content))
            {
                Report(context.ReportDiagnostic, AdditionalFileLocation.Create(context.AdditionalFile, text, match.Index, match.Length), pattern, match.Value);
            }
        }
    }

    private static string[] Matches(SecretPattern pattern, string value)
    {
        try
        {
            // The common case, no secret, allocates nothing.
            if (!pattern.Regex.IsMatch(value))
            {
                return [];
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return [];
        }

        return SafeMatches(pattern, value).Cast<Match>().Select(m => m.Value).Where(m => m.Length > 0).ToArray();
    }

    private static MatchCollection SafeMatches(SecretPattern pattern, string value) => HotDash.Compliance.Secrets.SafeMatches.Of(pattern.Regex, value);

    private static void Report(System.Action<Diagnostic> report, Location location, SecretPattern pattern, string secret)
    {
        // A pattern with a decoder counts only what the decoder calls a secret (a Supabase service_role key, not an anon key).
        if (HotDash.Compliance.Secrets.SecretDecoders.Verdict(pattern.Decoder, secret) is null)
        {
            return;
        }

        report(Diagnostic.Create(
            Descriptors.HardcodedSecret,
            location,
            pattern.Description,
            HotDash.Compliance.Secrets.SecretMask.Mask(secret),
            pattern.Id,
            pattern.Hint ?? DefaultHint));
    }
}
