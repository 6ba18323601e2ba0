using System.Text.Json.Serialization;

namespace HotDash.Compliance.Audit.Findings;

/// <summary>What kind of thing a finding is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubjectKind>))]
public enum SubjectKind
{
    /// <summary>A subject given only as text (a test's own finding).</summary>
    Other,
    Table,
    View,
    Function,
    Bucket,
    Schema,
    Migration,
    Type,
    Assembly,
    Endpoint,
    App,
    ProcessGroup,
    Database,

    /// <summary>A file of the repository, by its path from the repository root.</summary>
    File,
}

/// <summary>
/// What a finding is about, typed: its kind and its name as the audit names it (a table's and a function's
/// schema-qualified name with their identifiers quoted as PostgreSQL would, an app/group pair, a type's full name).
/// <see cref="Parent"/> is what it belongs to where that matters (a process group's app). The suite's test cases and
/// the baseline comparison use it as it is; no code takes a subject's text apart.
/// </summary>
public sealed record Subject(SubjectKind Kind, string Name, string? Parent = null)
{
    public static Subject Table(string qualifiedName) => new(SubjectKind.Table, qualifiedName);

    public static Subject View(string qualifiedName) => new(SubjectKind.View, qualifiedName);

    public static Subject Function(string signature) => new(SubjectKind.Function, signature);

    public static Subject Bucket(string id) => new(SubjectKind.Bucket, id);

    public static Subject Schema(string name) => new(SubjectKind.Schema, name);

    public static Subject Migration(string file) => new(SubjectKind.Migration, file);

    public static Subject Type(string fullName) => new(SubjectKind.Type, fullName);

    public static Subject Assembly(string path) => new(SubjectKind.Assembly, path);

    public static Subject Endpoint(string name) => new(SubjectKind.Endpoint, name);

    public static Subject App(string name) => new(SubjectKind.App, name);

    public static Subject File(string path) => new(SubjectKind.File, path);

    public static Subject ProcessGroup(string app, string group) => new(SubjectKind.ProcessGroup, $"{app}/{group}", app);

    /// <summary>"table public.shops", "function public.f(a bigint)", "hotdash-chatwoot/worker": as reports show it.</summary>
    public override string ToString() => Kind switch
    {
        SubjectKind.Other or SubjectKind.ProcessGroup => Name,
        SubjectKind.Database => Name,
        _ => $"{Word(Kind)} {Name}",
    };

    private static string Word(SubjectKind kind) => kind switch
    {
        SubjectKind.Table => "table",
        SubjectKind.View => "view",
        SubjectKind.Function => "function",
        SubjectKind.Bucket => "bucket",
        SubjectKind.Schema => "schema",
        SubjectKind.Migration => "migration",
        SubjectKind.Type => "type",
        SubjectKind.Assembly => "assembly",
        SubjectKind.Endpoint => "endpoint",
        SubjectKind.File => "file",
        _ => "app",
    };
}
