using System.Globalization;
using ScottPlot;

namespace Funding.Benchmarks;

/// <summary>
/// The curves drawn as SVG with ScottPlot. Sizes span decades, so the horizontal axis is logarithmic: points are
/// placed at log10 of their size and labelled with the size itself; a vertical axis goes logarithmic too when its
/// figures span more than a decade.
/// </summary>
public static class CurveCharts
{
    const int Width = 720, Height = 420;

    // Throughput axes leave their top third to the legend (upper left).

    /// <summary>Drawn with DejaVu Sans (Debian's default); a viewer without it falls back to its own sans-serif.</summary>
    const string Font = "DejaVu Sans";

    public static void Deposits(IReadOnlyList<ClientsPoint> points, string file)
    {
        var plot = NewPlot("P1: deposits over HTTP against clients", "clients (each on its own fund)");
        var x = Log(points.Select(p => (double)p.Clients));
        Line(plot, x, points.Select(p => p.Deposits.PerSecond), "P1 deposits/s", Colors.Blue, LinePattern.Solid);
        if (points.All(p => p.B3 is not null)) Line(plot, x, points.Select(p => p.B3!.PerSecond), "B3 Marten appends/s", Colors.Gray, LinePattern.Solid);
        plot.Axes.Left.Label.Text = "per second";
        plot.Axes.SetLimitsY(0, points.Max(p => Math.Max(p.Deposits.PerSecond, p.B3?.PerSecond ?? 0)) * 1.6, plot.Axes.Left);

        var latencies = points.SelectMany(p => new[] { p.Deposits.P50, p.Deposits.P99 }).ToList();
        var right = YAxis(plot, plot.Axes.Right, latencies, "latency (ms)");
        Line(plot, x, points.Select(p => right(p.Deposits.P50)), "P1 p50 (right)", Colors.Orange, LinePattern.Dashed, plot.Axes.Right);
        Line(plot, x, points.Select(p => right(p.Deposits.P99)), "P1 p99 (right)", Colors.Red, LinePattern.Dashed, plot.Axes.Right);
        Target(plot, right(50), "target p99 ≤ 50 ms (right)", plot.Axes.Right);
        SizeTicks(plot, points.Select(p => (double)p.Clients));
        Save(plot, file);
    }

    public static void Latency(IReadOnlyList<LedgerPoint> points, string sizeName, string title, double target, string targetText, string file)
    {
        var plot = NewPlot(title, sizeName);
        var x = Log(points.Select(p => (double)p.Size));
        var y = YAxis(plot, plot.Axes.Left, points.SelectMany(p => new[] { p.Latency.P50, p.Latency.P99 }).Append(target).ToList(), "latency (ms)");
        Line(plot, x, points.Select(p => y(p.Latency.P50)), "p50", Colors.Blue, LinePattern.Solid);
        Line(plot, x, points.Select(p => y(p.Latency.P99)), "p99", Colors.Red, LinePattern.Solid);
        Target(plot, y(target), targetText, plot.Axes.Left);
        SizeTicks(plot, points.Select(p => (double)p.Size));
        Save(plot, file);
    }

    public static void Import(IReadOnlyList<ImportPoint> all, string file)
    {
        var points = all.Where(p => p.Skipped is null).ToList();
        var plot = NewPlot("CSV import of deposits: speed and peak memory", "rows in the file");
        var x = Log(points.Select(p => (double)p.Rows));
        Line(plot, x, points.Select(p => p.RowsPerSecond), "rows/s", Colors.Blue, LinePattern.Solid);
        plot.Axes.Left.Label.Text = "rows per second";
        plot.Axes.SetLimitsY(0, points.Max(p => p.RowsPerSecond) * 1.6, plot.Axes.Left);

        var right = YAxis(plot, plot.Axes.Right, points.Select(p => p.PeakMb).Append(1024).ToList(), "peak working set (MB)");
        Line(plot, x, points.Select(p => right(p.PeakMb)), "peak memory (right)", Colors.Red, LinePattern.Dashed, plot.Axes.Right);
        Target(plot, right(1024), "target ≤ 1 GB at 1M rows (right)", plot.Axes.Right);
        SizeTicks(plot, points.Select(p => (double)p.Rows));
        Save(plot, file);
    }

    static Plot NewPlot(string title, string xLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(title);
        plot.Axes.Bottom.Label.Text = xLabel;
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    static double[] Log(IEnumerable<double> values) => values.Select(Math.Log10).ToArray();

    static void Line(Plot plot, double[] xs, IEnumerable<double> ys, string legend, Color color, LinePattern pattern, IYAxis? axis = null)
    {
        var line = plot.Add.Scatter(xs, ys.ToArray(), color);
        line.LegendText = legend;
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerSize = 7;
        if (axis is not null) line.Axes.YAxis = axis;
    }

    static void Target(Plot plot, double y, string legend, IYAxis axis)
    {
        var line = plot.Add.HorizontalLine(y);
        line.LegendText = legend;
        line.LinePattern = LinePattern.Dotted;
        line.Color = Colors.Green;
        line.Axes.YAxis = axis;
    }

    /// <summary>The points' own sizes as the horizontal ticks (10,000 rather than 10^4).</summary>
    static void SizeTicks(Plot plot, IEnumerable<double> sizes)
    {
        var values = sizes.Distinct().ToArray();
        plot.Axes.Bottom.SetTicks(Log(values), values.Select(Label).ToArray());
        var (min, max) = (Math.Log10(values.Min()), Math.Log10(values.Max()));
        var margin = Math.Max(0.15, (max - min) * 0.08);
        plot.Axes.SetLimitsX(min - margin, max + margin);
    }

    /// <summary>
    /// Sets up a vertical axis for the given figures and returns how to place a figure on it: as it is when they stay
    /// within a decade, at its log10 (ticks 1, 2, 5 × 10^k, labelled with the figure) when they span more.
    /// </summary>
    static Func<double, double> YAxis(Plot plot, IYAxis axis, IReadOnlyList<double> figures, string label)
    {
        axis.Label.Text = label;
        var positive = figures.Where(x => x > 0 && !double.IsNaN(x)).ToList();
        var (min, max) = (positive.Count == 0 ? 1 : positive.Min(), positive.Count == 0 ? 10 : positive.Max());
        if (max / min <= 10)
        {
            plot.Axes.SetLimitsY(0, max * 1.15, axis);
            return y => y;
        }

        var ticks = new List<double>();
        for (var decade = Math.Floor(Math.Log10(min)); decade <= Math.Ceiling(Math.Log10(max)); decade++)
        {
            ticks.AddRange(new[] { 1.0, 2, 5 }.Select(m => m * Math.Pow(10, decade)).Where(t => t >= min / 2 && t <= max * 2));
        }

        axis.SetTicks(Log(ticks), ticks.Select(Label).ToArray());
        plot.Axes.SetLimitsY(Math.Log10(min) - 0.15, Math.Log10(max) + 0.15, axis);
        return y => y > 0 ? Math.Log10(y) : double.NaN;
    }

    static string Label(double value) => value >= 1
        ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    static void Save(Plot plot, string file)
    {
        plot.SaveSvg(file, Width, Height);
        File.WriteAllText(file, File.ReadAllText(file).Replace($"font-family=\"{Font}\"", $"font-family=\"{Font}, Verdana, Arial, sans-serif\""));
    }
}
