namespace Funding.Benchmarks;

/// <summary>
/// The points of each curve (ops/bench/run.sh --curve). At scale 1 the sizes; a smaller scale divides them,
/// never below a floor that keeps the decades apart (the floor grows tenfold from one point to the next).
/// </summary>
public sealed record CurveSizes(double Scale, int ImportMaxRows)
{
    /// <summary>The default of --import-max: the largest import.</summary>
    public const int FullImportRows = 1_000_000;

    public int[] Clients { get; } = [1, 4, 16, 64];
    public int[] Packages => Points([1_000, 10_000, 100_000], floor: 20);
    public int[] FundEvents => Points([1_000, 10_000, 100_000], floor: 20);
    public int[] ImportRows => Points([10_000, 100_000, FullImportRows], floor: 100).Where(x => x <= ImportMaxRows).ToArray();

    /// <summary>Each client count is measured for this long, after a warm-up as long: 10 s at scale 1, never under 2 s.</summary>
    public TimeSpan ThroughputWindow => TimeSpan.FromSeconds(Math.Max(2, 10 * Scale));

    public int StatusQueries => Math.Max(20, (int)Math.Round(100 * Scale));
    public int StatementQueries => Math.Max(10, (int)Math.Round(20 * Scale));

    int[] Points(int[] full, int floor) =>
        full.Select((size, i) => Math.Max(floor * (int)Math.Pow(10, i), (int)Math.Round(size * Scale))).ToArray();
}
