using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Funding.Statements;
using Microsoft.AspNetCore.Html;
using NodaTime;

namespace Funding.Pages.Shared;

/// <summary>The pages' charts, drawn on the server as SVG: no script and nothing to download.</summary>
public static class Charts
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A bar filled to the coverage of a requirement; red when the phase is at risk.</summary>
    public static IHtmlContent CoverageBar(string label, decimal? percent, bool atRisk)
    {
        var filled = Math.Clamp(percent ?? 0m, 0m, 100m);
        var text = percent is null ? "no requirement" : $"{percent.Value.ToString("0.#", Invariant)}% covered";
        var colour = atRisk ? "var(--risk)" : filled >= 100m ? "var(--ok)" : "var(--partial)";
        return new HtmlString(
            $"""<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{Encode(label)}: {text}"><rect width="100" height="10" class="track"/><rect width="{filled.ToString("0.##", Invariant)}" height="10" fill="{colour}"/></svg>""");
    }

    /// <summary>Phases at risk on a timeline from today: each a bar from its start to its end, with the package's code.</summary>
    public static IHtmlContent Timeline(IReadOnlyList<(string Package, PhaseStatusReport Phase)> phases, LocalDate today)
    {
        if (phases.Count == 0) return new HtmlString("<p>No phase is at risk.</p>");
        var end = phases.Max(x => x.Phase.EndsOn);
        var start = LocalDate.Min(today, phases.Min(x => x.Phase.StartsOn));
        var days = Math.Max(1, Period.DaysBetween(start, end));
        const int width = 760, labels = 260, row = 22;
        double X(LocalDate day) => labels + (width - labels) * (double)Period.DaysBetween(start, day) / days;
        var svg = new StringBuilder();
        svg.Append(Invariant, $"""<svg class="timeline" viewBox="0 0 {width} {phases.Count * row + 24}" role="img" aria-label="Phases at risk from {today:uuuu-MM-dd} to {end:uuuu-MM-dd}">""");
        svg.Append(Invariant, $"""<line x1="{X(today):0.#}" x2="{X(today):0.#}" y1="0" y2="{phases.Count * row}" class="today"/>""");
        svg.Append(Invariant, $"""<text x="{X(today):0.#}" y="{phases.Count * row + 16}" class="axis">today</text>""");
        for (var i = 0; i < phases.Count; i++)
        {
            var (package, phase) = phases[i];
            var y = i * row;
            svg.Append(Invariant, $"""<text x="0" y="{y + 15}" class="label">{Encode(package)} · {phase.Phase}</text>""");
            svg.Append(Invariant, $"""<rect x="{X(phase.StartsOn):0.#}" y="{y + 4}" width="{Math.Max(2, X(phase.EndsOn) - X(phase.StartsOn)):0.#}" height="14" fill="var(--risk)"><title>{Encode(package)} {phase.Phase}: {phase.StartsOn:uuuu-MM-dd} to {phase.EndsOn:uuuu-MM-dd}, gap {Usd(phase.Gap)}</title></rect>""");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    public static string Usd(decimal amount) => "USD " + amount.ToString("#,0.00", Invariant);

    static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
