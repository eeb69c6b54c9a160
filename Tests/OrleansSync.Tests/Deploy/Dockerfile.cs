using System.Text.RegularExpressions;

namespace OrleansSync.Tests.Deploy;

/// <summary>deploy/Dockerfile as a list of instructions (continuation lines joined, comments dropped).</summary>
public sealed partial record Dockerfile(IReadOnlyList<(string Keyword, string Arguments)> Instructions)
{
    public static Dockerfile Read(string path)
    {
        var joined = File.ReadAllText(path).Replace("\\\n", " ", StringComparison.Ordinal);
        var instructions = joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Instruction().Match(l))
            .Select(m => (m.Groups["keyword"].Value.ToUpperInvariant(), Whitespace().Replace(m.Groups["arguments"].Value, " ").Trim()))
            .ToList();
        return new Dockerfile(instructions);
    }

    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>The words of an instruction's arguments, without <c>--flag=value</c> options.</summary>
    public static string[] Words(string arguments) =>
        [.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal))];

    [GeneratedRegex(@"^(?<keyword>[A-Za-z]+)\s+(?<arguments>.*)$")]
    private static partial Regex Instruction();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
