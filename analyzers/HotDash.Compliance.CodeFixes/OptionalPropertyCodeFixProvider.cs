using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HotDash.Compliance.CodeFixes;

/// <summary>
/// HD2002 fixes: make the optional property nullable (what the incident's fix was), or mark it
/// `required` so C# no longer lets it be absent. Both support Fix All.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OptionalPropertyCodeFixProvider)), Shared]
public sealed class OptionalPropertyCodeFixProvider : CodeFixProvider
{
    public const string MakeNullableKey = "HD2002.MakeNullable";
    public const string MarkRequiredKey = "HD2002.MarkRequired";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.OptionalPropertyNotNullable.Id, Descriptors.OptionalPropertyFilledByModel.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            // The diagnostic sits where the type is sent; the property is its additional location,
            // possibly in another document.
            if (diagnostic.AdditionalLocations.FirstOrDefault() is not { IsInSource: true } declaration ||
                context.Document.Project.Solution.GetDocument(declaration.SourceTree) is not { } document ||
                await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not { } root)
            {
                continue;
            }

            var node = root.FindNode(declaration.SourceSpan, getInnermostNodeForTie: true);
            var property = node.AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
            var parameter = node.AncestorsAndSelf().OfType<ParameterSyntax>().FirstOrDefault();
            var type = property?.Type ?? parameter?.Type;
            if (type is null || type is NullableTypeSyntax)
            {
                continue;
            }

            var name = property?.Identifier.ValueText ?? parameter!.Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create($"Make '{name}' nullable", ct => MakeNullableAsync(document, type, ct), MakeNullableKey),
                diagnostic);

            if (property is not null && !property.Modifiers.Any(SyntaxKind.RequiredKeyword))
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Mark '{name}' required", ct => MarkRequiredAsync(document, property, ct), MarkRequiredKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Solution> MakeNullableAsync(Document document, TypeSyntax type, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var nullable = SyntaxFactory.NullableType(type.WithoutTrivia()).WithTriviaFrom(type);
        return document.WithSyntaxRoot(root!.ReplaceNode(type, nullable)).Project.Solution;
    }

    private static async Task<Solution> MarkRequiredAsync(Document document, PropertyDeclarationSyntax property, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var required = SyntaxFactory.Token(SyntaxKind.RequiredKeyword).WithTrailingTrivia(SyntaxFactory.Space);

        // `public required string Reason { get; set; }`: after the accessibility modifiers.
        var modifiers = property.Modifiers;
        var index = modifiers.Count;
        for (var i = 0; i < modifiers.Count; i++)
        {
            if (!modifiers[i].IsKind(SyntaxKind.PublicKeyword) && !modifiers[i].IsKind(SyntaxKind.InternalKeyword) &&
                !modifiers[i].IsKind(SyntaxKind.ProtectedKeyword) && !modifiers[i].IsKind(SyntaxKind.PrivateKeyword))
            {
                index = i;
                break;
            }
        }

        PropertyDeclarationSyntax updated;
        if (modifiers.Count == 0)
        {
            updated = property.WithType(property.Type.WithoutLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(required.WithLeadingTrivia(property.Type.GetLeadingTrivia())));
        }
        else
        {
            updated = property.WithModifiers(modifiers.Insert(index, required));
        }

        return document.WithSyntaxRoot(root!.ReplaceNode(property, updated)).Project.Solution;
    }
}
