using Funding.Contributions;
using NodaTime;

namespace Funding.Packages.Approving;

/// <summary>What one phase still needs, and from when.</summary>
public sealed record PhaseNeed(ElectoralPhase Phase, LocalDate StartsOn, decimal Need);

/// <summary>
/// When one phase's need is expected to be met from cash and from signed instalments as they fall due.
/// <paramref name="CoveredOn"/> is null when what is signed never covers it; <paramref name="ShortAtStart"/> is what is
/// still missing on the day it starts (or today, for a phase already running), and <paramref name="ShortfallAtStart"/>
/// says there is such a sum. Pledges have no dates: what they might add is shown apart, as indicative.
/// </summary>
public sealed record PhaseForecast(
    ElectoralPhase Phase, LocalDate StartsOn, decimal Need, LocalDate? CoveredOn, bool ShortfallAtStart, decimal ShortAtStart,
    decimal NotCoveredBySigned, decimal IndicativeFromPledges);

/// <summary>The cumulative cash expected for the package by a day (a step of the forecast's line).</summary>
public sealed record ExpectedCash(LocalDate On, decimal Cumulative);

/// <summary>An instalment the forecast counts on, in USD, and whether it is earmarked to the package.</summary>
public sealed record ExpectedInstalment(string Reference, string Donor, LocalDate DueOn, decimal Usd, bool EarmarkedToPackage);

/// <summary>An instalment that fell due before the day of the forecast and is not paid: counted as not arriving.</summary>
public sealed record OverdueInstalment(string Reference, string Donor, LocalDate DueOn, decimal Usd, int DaysOverdue);

/// <summary>
/// The focal point's forecast: will the money be there when each phase starts? Phases are met in start order from
/// cash now, then from signed instalments as they fall due (earmarked to the package first on any one day, then those of
/// the funds that may fund it, after what approved packages already need of those funds). All figures USD; the
/// expected cash line starts from the cash left after those needs.
/// </summary>
public sealed record FundingForecast(
    LocalDate AsOf, decimal CashNow, decimal AlreadyNeededByApprovedPackages, IReadOnlyList<PhaseForecast> Phases,
    IReadOnlyList<ExpectedCash> ExpectedCash, IReadOnlyList<ExpectedInstalment> Instalments, IReadOnlyList<OverdueInstalment> Overdue,
    decimal IndicativePledges)
{
    public bool ShortfallAtStart => Phases.Any(x => x.ShortfallAtStart);

    /// <param name="cashNow">Unallocated cash of the funds that may fund the package.</param>
    /// <param name="alreadyNeeded">The gaps of approved packages on those funds: a claim on their money before this one.</param>
    public static FundingForecast Of(
        IReadOnlyList<PhaseNeed> phases, decimal cashNow, IReadOnlyList<InstalmentOwed> earmarked, IReadOnlyList<InstalmentOwed> ofFunds,
        decimal alreadyNeeded, decimal pledges, LocalDate asOf)
    {
        bool Overdue(InstalmentOwed x) => x.DueOn < asOf;
        var overdue = earmarked.Concat(ofFunds).Where(Overdue)
            .OrderBy(x => x.DueOn).ThenBy(x => x.Reference, StringComparer.Ordinal)
            .Select(x => new OverdueInstalment(x.Reference, x.Donor, x.DueOn, x.Usd, Period.DaysBetween(x.DueOn, asOf)))
            .ToList();

        // What approved packages need of the funds comes off the funds' cash first, then off their instalments in due order.
        var claim = alreadyNeeded;
        var cash = Math.Max(0m, cashNow - claim);
        claim = Math.Max(0m, claim - cashNow);
        var fromFunds = new List<ExpectedInstalment>();
        foreach (var x in ofFunds.Where(x => !Overdue(x)).OrderBy(x => x.DueOn).ThenBy(x => x.Reference, StringComparer.Ordinal))
        {
            var left = Math.Max(0m, x.Usd - claim);
            claim = Math.Max(0m, claim - x.Usd);
            if (left > 0m) fromFunds.Add(new ExpectedInstalment(x.Reference, x.Donor, x.DueOn, left, false));
        }

        var instalments = earmarked.Where(x => !Overdue(x) && x.Usd > 0m)
            .Select(x => new ExpectedInstalment(x.Reference, x.Donor, x.DueOn, x.Usd, true))
            .Concat(fromFunds)
            .OrderBy(x => x.DueOn).ThenByDescending(x => x.EarmarkedToPackage).ThenBy(x => x.Reference, StringComparer.Ordinal)
            .ToList();

        var line = new List<ExpectedCash> { new(asOf, cash) };
        foreach (var day in instalments.GroupBy(x => x.DueOn))
            line.Add(new ExpectedCash(day.Key, line[^1].Cumulative + day.Sum(x => x.Usd)));
        var signed = line[^1].Cumulative;
        decimal By(LocalDate day) => line.Last(x => x.On <= day).Cumulative;

        var forecasts = new List<PhaseForecast>();
        var needed = 0m;
        var pledgesLeft = pledges;
        foreach (var phase in phases.OrderBy(x => x.StartsOn).ThenBy(x => x.Phase))
        {
            needed += phase.Need;
            var coveredOn = line.FirstOrDefault(x => x.Cumulative >= needed)?.On;
            var shortAtStart = Math.Clamp(needed - By(phase.StartsOn < asOf ? asOf : phase.StartsOn), 0m, phase.Need);
            var notCovered = Math.Clamp(needed - signed, 0m, phase.Need);
            var fromPledges = Math.Min(notCovered, pledgesLeft);
            pledgesLeft -= fromPledges;
            forecasts.Add(new PhaseForecast(phase.Phase, phase.StartsOn, phase.Need, coveredOn, shortAtStart > 0m, shortAtStart, notCovered, fromPledges));
        }

        return new FundingForecast(asOf, cashNow, alreadyNeeded, forecasts, line, instalments, overdue, pledges);
    }
}
