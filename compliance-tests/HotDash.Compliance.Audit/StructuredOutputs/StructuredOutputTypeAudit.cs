using System;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HotDash.Compliance.Json;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.StructuredOutputs;
using NJsonSchema;
using NJsonSchema.Generation;

namespace HotDash.Compliance.Audit.StructuredOutputs;

/// <summary>The audited types (subjects) and what was found.</summary>
public sealed record StructuredOutputAuditResult(IReadOnlyList<Subject> Subjects, IReadOnlyList<Finding> Findings)
{
    public string Summary =>
        $"Structured outputs: {Subjects.Count(s => !Findings.Any(f => f.About == s && f.Fails))}/{Subjects.Count} types accepted by strict mode";
}

/// <summary>
/// The test-time twin of HD2001-HD2003: every structured-output type of the assemblies named in the
/// rules (found from their metadata, or listed under structuredOutputs.types) gets its JSON schema
/// generated with NJsonSchema, shaped the way the SDKs send it in strict mode (every property
/// required, additionalProperties false where the type is closed, unions as anyOf), and validated
/// with the same strict-mode rules as the analyzer. Optional properties that are not nullable are
/// found by reflection (HD2002).
/// </summary>
public sealed class StructuredOutputTypeAudit
{
    public const string Concern = "structured-outputs";

    public StructuredOutputAuditResult Run(RulesDocument rules, string repoRoot)
    {
        var structured = rules.StructuredOutputs;
        var findings = new List<Finding>();
        var subjects = new List<Subject>();

        foreach (var relative in structured.Assemblies)
        {
            var path = Path.GetFullPath(relative, repoRoot);
            if (!File.Exists(path))
            {
                subjects.Add(Subject.Assembly(relative));
                findings.Add(new Finding(RuleIds.TypeNotRepresentable, Severity.Error, Concern, Subject.Assembly(relative), path,
                    $"The rules name the assembly {relative} for the structured-output audit, but {path} does not exist: build it first (dotnet build -o ...), or fix the path in structuredOutputs.assemblies.", []));
                continue;
            }

            var context = new AssemblyLoadContext("hotdash-audit-" + Path.GetFileNameWithoutExtension(path), isCollectible: true);
            context.Resolving += (c, name) =>
            {
                var candidate = Path.Combine(Path.GetDirectoryName(path)!, name.Name + ".dll");
                return File.Exists(candidate) ? c.LoadFromAssemblyPath(candidate) : null;
            };
            try
            {
                var assembly = context.LoadFromAssemblyPath(path);
                var discovered = StructuredOutputTypeDiscovery.Discover(path, structured.EntryPoints)
                    .Concat(structured.Types.Select(t => new DiscoveredType(t, "listed in structuredOutputs.types")))
                    .DistinctBy(t => t.TypeName);
                foreach (var type in discovered)
                {
                    var subject = Subject.Type(type.TypeName);
                    subjects.Add(subject);
                    var resolved = assembly.GetType(type.TypeName);
                    if (resolved is null)
                    {
                        findings.Add(new Finding(RuleIds.TypeNotRepresentable, Severity.Error, Concern, subject, path,
                            $"{type.TypeName} ({type.EntryPoint}) is not defined in {Path.GetFileName(path)}; types from other assemblies are audited with theirs.", []));
                        continue;
                    }

                    findings.AddRange(SdkFor(type.Rule) is { } sdk
                        ? AuditTypeAsSent(resolved, subject, $"{path} ({type.EntryPoint})", structured, type.EntryPoint, sdk)
                        : AuditType(resolved, subject, $"{path} ({type.EntryPoint})", structured, type.Rule?.GeneratedSchemaRequiresEveryProperty == true ? type.EntryPoint : null));
                }
            }
            finally
            {
                context.Unload();
            }
        }

        return new StructuredOutputAuditResult(subjects, findings);
    }

    /// <summary>
    /// All findings for one type: schema problems (HD2003) and optional non-nullable properties, or a pass. Sent through an
    /// entry point whose SDK lists every property as required (<paramref name="requiresEveryPropertySdk"/>), strict mode
    /// accepts such a property and the model fills it (HD2004, a warning); otherwise strict mode rejects it (HD2002).
    /// Which calls are strict cannot be read from metadata: HD2004 says "in strict mode".
    /// </summary>
    public static IReadOnlyList<Finding> AuditType(Type type, Subject subject, string location, StructuredOutputRules rules, string? requiresEveryPropertySdk = null) =>
        AuditType(type, subject, location, rules, requiresEveryPropertySdk, sent: null);

    /// <summary>
    /// A type sent through an SDK that generates its own schema (Microsoft.Extensions.AI, Semantic Kernel): the schema
    /// judged is the one the SDK puts in a strict request (<see cref="SdkRequestCapture"/>), and whether an optional
    /// property is HD2004 or HD2002 follows from that schema's 'required' lists, not from the rules' data. Without a
    /// request, as for any other type.
    /// </summary>
    public static IReadOnlyList<Finding> AuditTypeAsSent(Type type, Subject subject, string location, StructuredOutputRules rules, string entryPoint, SdkRequestCapture sdk)
    {
        if (sdk.StrictRequest(type) is not { } request || !request.TryGetProperty("schema", out var schema))
        {
            return AuditType(type, subject, location, rules, entryPoint);
        }

        var schemaJson = schema.GetRawText();
        var evidence = $"schema sent by {sdk.Description} for {entryPoint} with {type.Name} in strict mode, captured from its request ({schemaJson.Length} characters): {Abbreviate(schemaJson)}";
        var requiresEvery = JsonParser.Parse(schemaJson).Value is { } parsed && RequiresEveryProperty(parsed);
        return AuditType(type, subject, location, rules, requiresEvery ? entryPoint : null, (schemaJson, evidence));
    }

    /// <summary>
    /// A JSON schema sent as it is (a schema file the service loads, a schema kept in configuration): HD2001 for every
    /// reason the selected profile's strict mode would answer 400, in the API's words, located by JSON path; none when it
    /// would take it. The same validator and profile as HD2001 at build time.
    /// </summary>
    public static IReadOnlyList<Finding> AuditSchema(string schemaJson, Subject subject, string location, StructuredOutputRules rules)
    {
        var parsed = JsonParser.Parse(schemaJson);
        if (parsed.Value is null)
        {
            return [new Finding(RuleIds.StrictSchemaRejected, Severity.Error, Concern, subject, location, $"The schema is not JSON: {parsed.Error}", [])];
        }

        var profile = rules.StrictProfile();
        return StrictSchemaValidator.Validate(parsed.Value, profile)
            .Select(problem => new Finding(RuleIds.StrictSchemaRejected, Severity.Error, Concern, subject, $"{location} at {JsonPath(problem.Context)}",
                $"Strict mode (profile '{profile.Name}') would reject this schema: {problem}", [$"schema of {schemaJson.Length} characters judged against profile '{profile.Name}'"]))
            .ToList();
    }

    /// <summary>The SDK whose own request is judged for types sent through this entry point, if it is one the audit can ask.</summary>
    public static SdkRequestCapture? SdkFor(EntryPointRule? rule) => rule?.Method switch
    {
        { } method when method.StartsWith("Microsoft.Extensions.AI.", StringComparison.Ordinal) => SdkRequestCapture.MicrosoftExtensionsAI,
        { } method when method.StartsWith("Microsoft.SemanticKernel.", StringComparison.Ordinal) => SdkRequestCapture.SemanticKernel,
        _ => null,
    };

    private static IReadOnlyList<Finding> AuditType(Type type, Subject subject, string location, StructuredOutputRules rules, string? requiresEveryPropertySdk, (string Json, string Evidence)? sent)
    {
        var profile = rules.StrictProfile();
        var findings = new List<Finding>();
        var schemaJson = sent?.Json ?? StrictShape(JsonSchema.FromType(type, new SystemTextJsonSchemaGeneratorSettings()).ToJson());
        var evidence = new List<string> { sent?.Evidence ?? $"schema generated by NJsonSchema and shaped for strict mode ({schemaJson.Length} characters)" };
        foreach (var problem in StrictSchemaValidator.Validate(JsonParser.Parse(schemaJson).Value!, profile))
        {
            findings.Add(new Finding(RuleIds.TypeNotRepresentable, Severity.Error, Concern, subject, $"{location} at {JsonPath(problem.Context)}",
                $"{type.Name} cannot be sent in strict mode: {problem}", evidence));
        }

        foreach (var (path, property, reason) in OptionalNotNullable(type, "$", new HashSet<Type>()))
        {
            findings.Add(requiresEveryPropertySdk is null
                ? new Finding(RuleIds.OptionalPropertyNotNullable, Severity.Error, Concern, subject, $"{location} at {path}",
                    $"Property '{property.DeclaringType!.Name}.{property.Name}' may be absent ({reason}) but is not nullable; strict mode makes every property required. Make it nullable, or mark it 'required'.",
                    evidence)
                : new Finding(RuleIds.OptionalPropertyFilledByModel, Severity.Warning, Concern, subject, $"{location} at {path}",
                    $"Property '{property.DeclaringType!.Name}.{property.Name}' may be absent ({reason}), but {requiresEveryPropertySdk} sends it as required in strict mode: the model always fills it and the default never applies. Make it nullable so the model can answer null, or mark it 'required'.",
                    evidence));
        }

        if (findings.All(f => !f.Fails))
        {
            findings.Add(new Finding(RuleIds.StrictSchemaRejected, Severity.Pass, Concern, subject, location, $"{type.Name}'s schema is accepted by strict mode.", evidence));
        }

        return findings;
    }

    /// <summary>
    /// The schema as the SDKs send it in strict mode: every property required, closed objects with
    /// additionalProperties false (open ones keep theirs, so they are reported), oneOf as anyOf, and
    /// numeric formats (int32, double) dropped, as the SDKs' own exporters do not emit them.
    /// </summary>
    public static string StrictShape(string json)
    {
        var root = JsonNode.Parse(json)!;
        Shape(root);
        return root.ToJsonString();
    }

    private static void Shape(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Shape(item);
            }

            return;
        }

        if (node is not JsonObject schema)
        {
            return;
        }

        schema.Remove("$schema");
        schema.Remove("title");
        if (schema["oneOf"] is JsonArray oneOf)
        {
            schema.Remove("oneOf");
            schema["anyOf"] = oneOf;
        }

        if (schema["format"] is System.Text.Json.Nodes.JsonValue && schema["type"]?.ToString() is "integer" or "number")
        {
            schema.Remove("format");
        }

        foreach (var key in schema.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)).Select(p => p.Key).ToList())
        {
            schema.Remove(key);
        }

        if (schema["properties"] is JsonObject properties)
        {
            schema["required"] = new JsonArray(properties.Select(p => (JsonNode)System.Text.Json.Nodes.JsonValue.Create(p.Key)!).ToArray());
            if (!schema.ContainsKey("additionalProperties"))
            {
                schema["additionalProperties"] = false;
            }

            schema["type"] ??= "object";
        }

        foreach (var child in schema.ToList())
        {
            Shape(child.Value);
        }
    }

    private static string JsonPath(IReadOnlyList<string> context) => context.Count == 0 ? "$" : "$." + string.Join(".", context);

    private static IEnumerable<(string Path, PropertyInfo Property, string Reason)> OptionalNotNullable(Type type, string path, HashSet<Type> visiting)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType && !type.IsArray)
        {
            yield break;
        }

        if (type.IsArray || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)))
        {
            var element = type.IsArray ? type.GetElementType() : type.GetInterfaces().Concat([type]).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            if (element is not null)
            {
                foreach (var found in OptionalNotNullable(element, path + ".items", visiting))
                {
                    yield return found;
                }
            }

            yield break;
        }

        if (!type.IsClass && !(type.IsValueType && !type.IsPrimitive) || !visiting.Add(type))
        {
            yield break;
        }

        var nullability = new NullabilityInfoContext();
        var constructorParameters = type.GetConstructors().SelectMany(c => c.GetParameters()).ToList();
        object? defaultInstance = null;
        try
        {
            defaultInstance = type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;
        }
        catch (TargetInvocationException)
        {
            // A constructor with side effects or checks: no default instance to compare with.
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0))
        {
            var ignore = property.GetCustomAttribute<JsonIgnoreAttribute>();
            if (ignore is { Condition: JsonIgnoreCondition.Always })
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            var propertyPath = $"{path}.properties.{name}";
            var required = property.GetCustomAttribute<RequiredMemberAttribute>() is not null || property.GetCustomAttribute<JsonRequiredAttribute>() is not null;
            var reason = required ? null
                : ignore is { Condition: JsonIgnoreCondition.WhenWritingDefault or JsonIgnoreCondition.WhenWritingNull } ? "[JsonIgnore(Condition = WhenWritingDefault/WhenWritingNull)] omits it"
                : property.GetCustomAttribute<DefaultValueAttribute>() is not null ? "it has [DefaultValue]"
                : constructorParameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase) && HasNonDefaultValue(p)) ? "its constructor parameter has a default value"
                : defaultInstance is not null && HasDefaultValue(property, defaultInstance) ? "it has a default value"
                : null;
            var canBeNull = Nullable.GetUnderlyingType(property.PropertyType) is not null ||
                            (!property.PropertyType.IsValueType && nullability.Create(property).ReadState != NullabilityState.NotNull);
            if (reason is not null && !canBeNull)
            {
                yield return (propertyPath, property, reason);
            }

            foreach (var nested in OptionalNotNullable(property.PropertyType, propertyPath, visiting))
            {
                yield return nested;
            }
        }

        visiting.Remove(type);
    }

    /// <summary>A parameter default other than the type's own (`= null!`, `= default`, `= 0` change nothing, as for the analyzer).</summary>
    private static bool HasNonDefaultValue(ParameterInfo parameter)
    {
        if (!parameter.HasDefaultValue || parameter.DefaultValue is null || parameter.DefaultValue is DBNull)
        {
            return false;
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return !type.IsValueType || !Equals(parameter.DefaultValue, Activator.CreateInstance(type));
    }

    /// <summary>Every object of the schema lists all its properties in 'required' (what strict mode demands of them).</summary>
    private static bool RequiresEveryProperty(HotDash.Compliance.Json.JsonValue schema)
    {
        if (schema.Kind == JsonKind.Object)
        {
            if (schema.Get("properties") is { Kind: JsonKind.Object } properties)
            {
                var required = schema.GetItems("required").Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
                if (properties.Members.Any(m => !required.Contains(m.Name)))
                {
                    return false;
                }
            }

            return schema.Members.All(m => RequiresEveryProperty(m.Value));
        }

        return schema.Kind != JsonKind.Array || schema.Items.All(RequiresEveryProperty);
    }

    private static string Abbreviate(string json) => json.Length <= 400 ? json : json[..400] + "...";

    private static bool HasDefaultValue(PropertyInfo property, object instance)
    {
        var value = property.GetValue(instance);
        var empty = property.PropertyType.IsValueType ? Activator.CreateInstance(property.PropertyType) : null;
        return !Equals(value, empty);
    }
}
