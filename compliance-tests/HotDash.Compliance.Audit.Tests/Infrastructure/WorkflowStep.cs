using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// One `run` step of a GitHub Actions workflow as a runner would execute it: its command, and the environment of the
/// workflow, its job and the step, with the expressions a test can know filled in (the workspace, the first matrix
/// entry; secrets and variables unset, as in a repository that has not configured them).
/// </summary>
internal static partial class WorkflowStep
{
    public static (string Command, Dictionary<string, string?> Environment) Read(string workflowFile, string stepName, string workspace)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(workflowFile)));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        foreach (var job in ((YamlMappingNode)root["jobs"]).Children.Values.Cast<YamlMappingNode>())
        {
            var step = ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>()
                .FirstOrDefault(s => s.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name.ToString() == stepName);
            if (step is null)
            {
                continue;
            }

            var matrix = FirstMatrixEntry(job);
            string Fill(string text) => Expression().Replace(text, m => m.Groups["expr"].Value.Trim() switch
            {
                "github.workspace" => workspace,
                var e when e.StartsWith("matrix.", StringComparison.Ordinal) => matrix[e["matrix.".Length..]],
                var e when e.StartsWith("secrets.", StringComparison.Ordinal) || e.StartsWith("vars.", StringComparison.Ordinal) => string.Empty,
                var e => throw new InvalidOperationException($"{workflowFile}: step '{stepName}' uses ${{{{ {e} }}}}, which this test cannot fill in"),
            });

            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var scope in new[] { root, job, step })
            {
                if (scope.Children.TryGetValue(new YamlScalarNode("env"), out var env))
                {
                    foreach (var (name, value) in ((YamlMappingNode)env).Children)
                    {
                        environment[name.ToString()] = Fill(value.ToString());
                    }
                }
            }

            return (Fill(step["run"].ToString()), environment);
        }

        throw new InvalidOperationException($"{workflowFile} has no step named '{stepName}'");
    }

    private static Dictionary<string, string> FirstMatrixEntry(YamlMappingNode job)
    {
        if (!job.Children.TryGetValue(new YamlScalarNode("strategy"), out var strategy))
        {
            return [];
        }

        var include = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)strategy)["matrix"])["include"];
        return ((YamlMappingNode)include[0]).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString(), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\$\{\{(?<expr>[^}]*)\}\}")]
    private static partial Regex Expression();
}
