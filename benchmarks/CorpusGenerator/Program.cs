using System;
using System.Globalization;
using System.IO;
using System.Text;

// Usage: dotnet run --project benchmarks/CorpusGenerator -- <output directory> [files=2000]
// Writes Corpus.csproj (our analyzers AND Microsoft.CodeAnalysis.BannedApiAnalyzers, with the same
// banned API in both), hotdash.rules.json, BannedSymbols.txt and N files of about 100 lines each.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: CorpusGenerator <output directory> [files=2000]");
    return 2;
}

var output = Path.GetFullPath(args[0]);
var files = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
var repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
if (!System.IO.File.Exists(Path.Combine(repository, "HotDash.Compliance.sln")))
{
    Console.Error.WriteLine($"cannot find the repository from {AppContext.BaseDirectory}");
    return 2;
}

if (Directory.Exists(output))
{
    Directory.Delete(output, recursive: true);
}

Directory.CreateDirectory(Path.Combine(output, "src"));
var analyzers = Path.Combine(repository, "analyzers");
System.IO.File.WriteAllText(Path.Combine(output, "Corpus.csproj"), $"""
    <Project Sdk="Microsoft.NET.Sdk">
      <PropertyGroup>
        <TargetFramework>net10.0</TargetFramework>
        <Nullable>enable</Nullable>
        <ImplicitUsings>disable</ImplicitUsings>
        <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
        <NoWarn>$(NoWarn);CS8618;OPENAI001</NoWarn>
        <GenerateDocumentationFile>false</GenerateDocumentationFile>
      </PropertyGroup>
      <ItemGroup>
        <PackageReference Include="Microsoft.CodeAnalysis.BannedApiAnalyzers" Version="5.6.0" PrivateAssets="all" />
        <PackageReference Include="Microsoft.Extensions.Configuration.Binder" Version="10.0.0" />
        <PackageReference Include="Microsoft.Extensions.AI" Version="10.11.0" />
        <PackageReference Include="OpenAI" Version="2.15.0" />
        <ProjectReference Include="{analyzers}/HotDash.Compliance.Analyzers/HotDash.Compliance.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
        <ProjectReference Include="{analyzers}/../core/HotDash.Compliance.Core/HotDash.Compliance.Core.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
        <AdditionalFiles Include="BannedSymbols.txt" />
      </ItemGroup>
      <Import Project="{analyzers}/HotDash.Compliance.Analyzers.Package/build/HotDash.Compliance.Analyzers.targets" />
    </Project>
    """);
System.IO.File.Copy(Path.Combine(repository, "rules", "canonical-stack.json"), Path.Combine(output, "hotdash.rules.json"));
System.IO.File.WriteAllText(Path.Combine(output, "BannedSymbols.txt"),
    "M:System.Environment.GetEnvironmentVariables;it returns every environment variable, secrets included\n");

var lines = 0;
for (var i = 0; i < files; i++)
{
    var text = SourceFile(i);
    lines += text.Split('\n').Length;
    System.IO.File.WriteAllText(Path.Combine(output, "src", $"Service{i}.cs"), text);
}

Console.WriteLine($"corpus: {files} files, {lines} lines in {output}");
return 0;

static string SourceFile(int i)
{
    var s = new StringBuilder();
    s.AppendLine("using System;");
    s.AppendLine("using System.Collections.Generic;");
    s.AppendLine("using System.Linq;");
    s.AppendLine("using System.Text;");
    s.AppendLine("using System.Threading;");
    s.AppendLine("using System.Threading.Tasks;");
    s.AppendLine("using Microsoft.Extensions.AI;");
    s.AppendLine("using Microsoft.Extensions.Configuration;");

    s.AppendLine();
    s.AppendLine($"namespace Corpus.Module{i % 50};");
    s.AppendLine();
    s.AppendLine($"public sealed record Order{i}(string Id, int Quantity, decimal Price, string? Note = null);");
    s.AppendLine();
    s.AppendLine($"public sealed class Service{i}");
    s.AppendLine("{");
    s.AppendLine("    private readonly IConfiguration _configuration;");
    s.AppendLine("    private readonly List<string> _log = new();");
    s.AppendLine();
    s.AppendLine($"    public Service{i}(IConfiguration configuration) => _configuration = configuration;");
    s.AppendLine();
    // Configuration reads: two per file, in different forms.
    s.AppendLine($"    public string? ApiKey => _configuration[\"Service{i}:ApiKey\"];");
    s.AppendLine($"    public string? Region => Environment.GetEnvironmentVariable(\"SERVICE_{i}_REGION\");");
    s.AppendLine($"    public int Retries => _configuration.GetValue<int>(\"Service{i}:Retries\");");
    s.AppendLine();
    s.AppendLine("    public int Compute(IEnumerable<int> values)");
    s.AppendLine("    {");
    s.AppendLine("        var total = 0;");
    s.AppendLine("        foreach (var value in values)");
    s.AppendLine("        {");
    s.AppendLine("            if (value % 3 == 0)");
    s.AppendLine("            {");
    s.AppendLine("                total += value;");
    s.AppendLine("            }");
    s.AppendLine("            else if (value % 5 == 0)");
    s.AppendLine("            {");
    s.AppendLine("                total -= value / 2;");
    s.AppendLine("            }");
    s.AppendLine("            else");
    s.AppendLine("            {");
    s.AppendLine("                total ^= value << 1;");
    s.AppendLine("            }");
    s.AppendLine("        }");
    s.AppendLine();
    s.AppendLine("        return total;");
    s.AppendLine("    }");
    s.AppendLine();
    s.AppendLine($"    public string Describe(Order{i} order)");
    s.AppendLine("    {");
    s.AppendLine("        var builder = new StringBuilder();");
    s.AppendLine("        builder.Append(\"Order \").Append(order.Id).Append(\": \");");
    s.AppendLine("        builder.Append(order.Quantity).Append(\" x \").Append(order.Price.ToString(\"0.00\"));");
    s.AppendLine("        if (order.Note is { Length: > 0 } note)");
    s.AppendLine("        {");
    s.AppendLine("            builder.Append(\" (\").Append(note).Append(')');");
    s.AppendLine("        }");
    s.AppendLine();
    s.AppendLine("        _log.Add(builder.ToString());");
    s.AppendLine("        return builder.ToString();");
    s.AppendLine("    }");
    s.AppendLine();
    s.AppendLine($"    public IReadOnlyList<Order{i}> Top(IEnumerable<Order{i}> orders, int count) =>");
    s.AppendLine("        orders.Where(o => o.Quantity > 0)");
    s.AppendLine("              .OrderByDescending(o => o.Price * o.Quantity)");
    s.AppendLine("              .ThenBy(o => o.Id, StringComparer.Ordinal)");
    s.AppendLine("              .Take(count)");
    s.AppendLine("              .ToList();");
    s.AppendLine();
    s.AppendLine("    public async Task<string> RetryAsync(Func<CancellationToken, Task<string>> action, CancellationToken cancellationToken)");
    s.AppendLine("    {");
    s.AppendLine("        for (var attempt = 1; ; attempt++)");
    s.AppendLine("        {");
    s.AppendLine("            try");
    s.AppendLine("            {");
    s.AppendLine("                return await action(cancellationToken).ConfigureAwait(false);");
    s.AppendLine("            }");
    s.AppendLine("            catch (InvalidOperationException) when (attempt < Retries)");
    s.AppendLine("            {");
    s.AppendLine($"                _log.Add($\"attempt {{attempt}} of service {i} failed\");");
    s.AppendLine("                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);");
    s.AppendLine("            }");
    s.AppendLine("        }");
    s.AppendLine("    }");
    s.AppendLine();
    s.AppendLine("    public string Format(DateTimeOffset at, Guid id) =>");
    s.AppendLine($"        string.Join(\"|\", new[] {{ \"service-{i}\", at.ToString(\"O\"), id.ToString(\"N\"), Region ?? \"none\" }});");
    s.AppendLine();

    // Structured outputs at realistic density: a schema literal in 1 file of 10, a typed call in 1 of 7.
    if (i % 10 == 0)
    {
        s.AppendLine("    public static OpenAI.Chat.ChatResponseFormat Format() => OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(");
        s.AppendLine($"        \"order_{i}\",");
        s.AppendLine("        BinaryData.FromString(\"\"\"");
        s.AppendLine("            { \"type\": \"object\",");
        s.AppendLine("              \"properties\": { \"id\": { \"type\": \"string\" }, \"quantity\": { \"type\": \"integer\" }, \"note\": { \"type\": [\"string\", \"null\"] } },");
        s.AppendLine("              \"required\": [\"id\", \"quantity\", \"note\"], \"additionalProperties\": false }");
        s.AppendLine("            \"\"\"),");
        s.AppendLine("        jsonSchemaIsStrict: true);");
        s.AppendLine();
    }

    if (i % 7 == 0)
    {
        s.AppendLine($"    public async Task<Order{i}> ExtractAsync(IChatClient client, string text) =>");
        s.AppendLine($"        (await client.GetResponseAsync<Order{i}>(text)).Result;");
        s.AppendLine();
    }

    // A use of the banned API in 1 file of 20, seen by both analyzers.
    if (i % 20 == 0)
    {
        s.AppendLine("    public int EnvironmentSize() => Environment.GetEnvironmentVariables().Count;");
        s.AppendLine();
    }

    s.AppendLine("}");
    return s.ToString();
}
