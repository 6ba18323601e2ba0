using System;
using System.IO;
using System.Reflection;
using HotDash.Compliance.Json;

namespace HotDash.Compliance.Rules;

/// <summary>
/// The built-in rules of this version: the repository's rules/canonical-stack.json and its JSON Schema, embedded in
/// this assembly once for both halves, with what both read from them (the parsed schema, its validator, the profiles
/// any rules file may name).
/// </summary>
internal static class BuiltInRules
{
    /// <summary>How reports and diagnostics name the built-in rules when no rules file is found.</summary>
    public const string Origin = "built-in defaults";

    private static readonly Lazy<string> LazyText = new(() => ReadResource("canonical-stack.json"));

    private static readonly Lazy<string> LazySchemaText = new(() => ReadResource("canonical-stack.schema.json"));

    private static readonly Lazy<JsonValue> LazySchemaRoot = new(() => JsonParser.Parse(SchemaText).Value!);

    private static readonly Lazy<JsonSchemaSubsetValidator> LazySchema = new(() => new JsonSchemaSubsetValidator(SchemaRoot));

    private static readonly Lazy<RulesText> LazyCanonical = new(() => new RulesText(RulesComposer.Canonical, Text));

    private static readonly Lazy<JsonValue?> LazyStructuredOutputs = new(() => JsonParser.Parse(Text).Value?.Get("structuredOutputs"));

    /// <summary>The text of rules/canonical-stack.json.</summary>
    public static string Text => LazyText.Value;

    /// <summary>The text of rules/canonical-stack.schema.json.</summary>
    public static string SchemaText => LazySchemaText.Value;

    public static JsonValue SchemaRoot => LazySchemaRoot.Value;

    /// <summary>The schema validator both halves gate a rules file with.</summary>
    public static JsonSchemaSubsetValidator Schema => LazySchema.Value;

    /// <summary>The built-in rules as <c>"extends": "hotdash:canonical"</c> names them.</summary>
    public static RulesText Canonical => LazyCanonical.Value;

    /// <summary>The built-in structuredOutputs section, whose profiles any rules file may name.</summary>
    public static JsonValue? StructuredOutputs => LazyStructuredOutputs.Value;

    private static string ReadResource(string name)
    {
        var assembly = typeof(BuiltInRules).GetTypeInfo().Assembly;
        using var stream = assembly.GetManifestResourceStream("HotDash.Compliance." + name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
