using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Funding.Packages;
using Funding.Packages.Approving;
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

    /// <summary>
    /// The forecast on one time axis: the cumulative cash expected for the package (a step line), the cumulative
    /// requirement as each phase starts (dashed), and below them each phase as a bar, red when short at its start.
    /// </summary>
    public static IHtmlContent Forecast(FundingForecast forecast, IReadOnlyDictionary<ElectoralPhase, LocalDate> phaseEnds)
    {
        if (forecast.Phases.Count == 0) return new HtmlString("<p>No phase to forecast.</p>");
        var start = LocalDate.Min(forecast.AsOf, forecast.Phases.Min(x => x.StartsOn));
        var end = new[] { forecast.ExpectedCash[^1].On, forecast.Phases.Max(x => phaseEnds.GetValueOrDefault(x.Phase, x.StartsOn)) }.Max().PlusDays(15);
        var days = Math.Max(1, Period.DaysBetween(start, end));
        var needed = forecast.Phases.Sum(x => x.Need);
        var top = Math.Max(1m, Math.Max(needed, forecast.ExpectedCash[^1].Cumulative));
        const int width = 760, labels = 160, plot = 120, row = 22;
        var height = plot + 10 + forecast.Phases.Count * row + 20;
        double X(LocalDate day) => labels + (width - labels - 10) * (double)Period.DaysBetween(start, day) / days;
        double Y(decimal amount) => 5 + plot * (1 - (double)(amount / top));

        var svg = new StringBuilder();
        svg.Append(Invariant, $"""<svg class="timeline forecast" viewBox="0 0 {width} {height}" role="img" aria-label="Forecast as of {forecast.AsOf:uuuu-MM-dd}: expected cash against the requirement of each phase">""");
        svg.Append(Invariant, $"""<text x="0" y="{Y(top) + 8:0.#}" class="axis">{Usd(top)}</text><text x="0" y="{Y(0m):0.#}" class="axis">USD 0</text>""");

        var cash = new StringBuilder();
        var previous = (decimal?)null;
        foreach (var point in forecast.ExpectedCash)
        {
            if (previous is { } level) cash.Append(Invariant, $" L{X(point.On):0.#},{Y(level):0.#}");
            cash.Append(Invariant, $"{(previous is null ? "M" : " L")}{X(point.On):0.#},{Y(point.Cumulative):0.#}");
            previous = point.Cumulative;
        }

        cash.Append(Invariant, $" L{X(end):0.#},{Y(previous!.Value):0.#}");
        svg.Append(Invariant, $"""<path d="{cash}" class="cash" data-series="expected-cash"><title>Cash expected: {Encode(string.Join(", ", forecast.ExpectedCash.Select(x => $"{x.On:uuuu-MM-dd} {Usd(x.Cumulative)}")))}</title></path>""");

        var need = new StringBuilder($"M{X(start):0.#},{Y(0m):0.#}");
        var sum = 0m;
        foreach (var phase in forecast.Phases)
        {
            need.Append(Invariant, $" L{X(phase.StartsOn):0.#},{Y(sum):0.#}");
            sum += phase.Need;
            need.Append(Invariant, $" L{X(phase.StartsOn):0.#},{Y(sum):0.#}");
        }

        need.Append(Invariant, $" L{X(end):0.#},{Y(sum):0.#}");
        svg.Append(Invariant, $"""<path d="{need}" class="need" data-series="requirement"><title>Requirement, added as each phase starts: {Usd(sum)}</title></path>""");
        svg.Append(Invariant, $"""<line x1="{X(forecast.AsOf):0.#}" x2="{X(forecast.AsOf):0.#}" y1="0" y2="{height - 20}" class="today"/>""");
        svg.Append(Invariant, $"""<text x="{X(forecast.AsOf):0.#}" y="{height - 6}" class="axis">{forecast.AsOf:uuuu-MM-dd}</text>""");
        svg.Append(Invariant, $"""<text x="{width - 80}" y="{height - 6}" class="axis">{end:uuuu-MM-dd}</text>""");

        for (var i = 0; i < forecast.Phases.Count; i++)
        {
            var phase = forecast.Phases[i];
            var y = plot + 10 + i * row;
            var ends = phaseEnds.GetValueOrDefault(phase.Phase, phase.StartsOn);
            var covered = phase.CoveredOn is { } on ? $"covered {on:uuuu-MM-dd}" : "not covered by what is signed";
            svg.Append(Invariant, $"""<text x="0" y="{y + 15}" class="label">{phase.Phase}</text>""");
            svg.Append(Invariant, $"""<rect x="{X(phase.StartsOn):0.#}" y="{y + 4}" width="{Math.Max(2, X(ends) - X(phase.StartsOn)):0.#}" height="14" fill="{(phase.ShortfallAtStart ? "var(--risk)" : "var(--ok)")}" data-phase="{phase.Phase}" data-shortfall="{(phase.ShortfallAtStart ? "true" : "false")}"><title>{phase.Phase}: starts {phase.StartsOn:uuuu-MM-dd}, needs {Usd(phase.Need)}, {covered}{(phase.ShortfallAtStart ? $", {Usd(phase.ShortAtStart)} short at its start" : "")}</title></rect>""");
            if (phase.CoveredOn is { } day)
                svg.Append(Invariant, $"""<line x1="{X(day):0.#}" x2="{X(day):0.#}" y1="{y + 2}" y2="{y + 20}" class="covered"/>""");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    public static string Usd(decimal amount) => "USD " + amount.ToString("#,0.00", Invariant);

    /// <summary>An amount in its currency, to the currency's minor unit (JPY 0, EUR 2, KWD 3 decimals).</summary>
    public static string Amount(decimal amount, string currency)
    {
        var decimals = Ledger.Currency.All.TryGetValue(currency, out var known) ? known.MinorUnits : 2;
        return $"{currency} {amount.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), Invariant)}";
    }

    static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
