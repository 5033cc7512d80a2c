using System.Globalization;
using System.Text;

namespace Funding.Benchmarks;

/// <summary>One line of the table: a figure, its ratio to a baseline, and whether its target was met.</summary>
public sealed record Line(string Id, string What, string Result, string Ratio = "", string Target = "", bool? Met = null)
{
    public string Status => Met switch { true => "met", false => "missed", null => "" };
}

/// <summary>The results as a Markdown table with the machine's description, for the console and ops/bench/results/.</summary>
public sealed class ResultsTable(Sizes sizes, Machine machine)
{
    readonly List<Line> lines = [];
    readonly List<string> notes = [];

    public void Add(Line line) => lines.Add(line);
    public void Note(string note) => notes.Add(note);

    public string ToMarkdown(DateTimeOffset at, TimeSpan took)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant($"# Benchmark {at:yyyy-MM-dd HH:mm} UTC, scale {sizes.Scale}"));
        md.AppendLine();
        if (sizes.Scale < 1) md.AppendLine("**Small-scale run: every size divided by the scale. Not the issue's full-scale figures.**").AppendLine();
        md.Append(Invariant($"Machine: `{machine.Host}`, {machine.Cores} cores ({machine.Cpu}), {machine.RamGb:0.0} GB RAM, {machine.Os}; "))
            .Append(Invariant($"PostgreSQL {machine.PostgreSql} (embedded, durable: fsync and synchronous commit on); {machine.DotNet}, Release build. "))
            .AppendLine(Invariant($"Run took {took.TotalMinutes:0.0} min."));
        md.AppendLine();
        md.AppendLine("| | measurement | result | ratio to baseline | target | |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var x in lines) md.AppendLine($"| {x.Id} | {x.What} | {x.Result} | {x.Ratio} | {x.Target} | {x.Status} |");
        md.AppendLine();
        foreach (var note in notes) md.AppendLine($"- {note}");
        return md.ToString();
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
