using Funding.Audit.Replay;
using Funding.Ledger;
using NodaTime;

namespace Funding.Statements.Periods;

/// <summary>
/// One account over a period: its balance as at the day before (a debit or a credit), the debits and the credits
/// posted to it in the period, and its balance as at the last day.
/// <c>OpeningDebit − OpeningCredit + Debits − Credits = ClosingDebit − ClosingCredit</c>.
/// </summary>
public sealed record TrialBalancePeriodLine(
    int Code, Account Account, decimal OpeningDebit, decimal OpeningCredit, decimal Debits, decimal Credits, decimal ClosingDebit, decimal ClosingCredit);

/// <summary>A fund's trial balance over a month or a year (USD), one line per account that had a balance or a posting.</summary>
public sealed record TrialBalancePeriodReport(
    Guid FundId, ReportedPeriod Period, IReadOnlyList<TrialBalancePeriodLine> Lines,
    decimal TotalOpeningDebits, decimal TotalOpeningCredits, decimal TotalDebits, decimal TotalCredits,
    decimal TotalClosingDebits, decimal TotalClosingCredits, bool Balanced)
{
    /// <summary>Whether the period is closed, and its months' closes and reopenings; null when none of them was ever closed.</summary>
    public global::Funding.Periods.PeriodBooks? Books { get; init; }

    /// <param name="postedInPeriod">The events dated in the period (and known by the report's day): their postings are the period's debits and credits.</param>
    public static TrialBalancePeriodReport Of(
        Guid fundId, ReportedPeriod period, TrialBalance? opening, IEnumerable<object> postedInPeriod, TrialBalance? closing)
    {
        var debits = new SortedDictionary<Account, decimal>();
        var credits = new SortedDictionary<Account, decimal>();
        foreach (var line in postedInPeriod.SelectMany(Postings.For))
        {
            // A posting's sign says which side it is on: a credit of a negative amount (an exchange loss) is a debit.
            var side = line.Amount >= 0m ? debits : credits;
            side[line.Account] = side.GetValueOrDefault(line.Account) + Math.Abs(line.Amount);
        }

        var before = opening?.Balances ?? [];
        var after = closing?.Balances ?? [];
        var lines = new List<TrialBalancePeriodLine>();
        foreach (var account in before.Keys.Union(debits.Keys).Union(credits.Keys).Union(after.Keys).Order())
        {
            var (open, debit, credit, close) = (before.GetValueOrDefault(account), debits.GetValueOrDefault(account), credits.GetValueOrDefault(account), after.GetValueOrDefault(account));
            if (open + debit - credit != close)
                throw new InvalidOperationException(
                    $"Account {(int)account} {account} does not join up over {period.Name}: opening {open} + debits {debit} − credits {credit} is not the closing {close}.");
            if (open == 0m && debit == 0m && credit == 0m) continue;
            lines.Add(new TrialBalancePeriodLine((int)account, account, Math.Max(open, 0m), Math.Max(-open, 0m), debit, credit, Math.Max(close, 0m), Math.Max(-close, 0m)));
        }

        var totals = (OpeningDebits: lines.Sum(x => x.OpeningDebit), OpeningCredits: lines.Sum(x => x.OpeningCredit),
            Debits: lines.Sum(x => x.Debits), Credits: lines.Sum(x => x.Credits),
            ClosingDebits: lines.Sum(x => x.ClosingDebit), ClosingCredits: lines.Sum(x => x.ClosingCredit));
        return new TrialBalancePeriodReport(fundId, period, lines,
            totals.OpeningDebits, totals.OpeningCredits, totals.Debits, totals.Credits, totals.ClosingDebits, totals.ClosingCredits,
            totals.OpeningDebits == totals.OpeningCredits && totals.Debits == totals.Credits && totals.ClosingDebits == totals.ClosingCredits);
    }

    /// <summary>
    /// From the fund's events: the trial balances as at the day before the period and as at its last day, and the
    /// postings of the events dated in it, each as known on <paramref name="knownOn"/>.
    /// </summary>
    public static TrialBalancePeriodReport FromLog(Guid fundId, ReportPeriod period, LocalDate? knownOn, LocalDate today, IReadOnlyCollection<LoggedEvent> log)
    {
        var opening = LedgerReplay.Of(log, new ReportCut(period.OpeningAsAt, knownOn), ReplayedModels.TrialBalances).TrialBalances.GetValueOrDefault(fundId);
        var closing = LedgerReplay.Of(log, new ReportCut(period.To, knownOn), ReplayedModels.TrialBalances).TrialBalances.GetValueOrDefault(fundId);
        var known = new ReportCut(null, knownOn);
        var posted = log
            .Where(x => x.Data is IFundEvent e && e.FundId == fundId && x.BusinessDate is { } day && period.Contains(day) && known.Includes(x))
            .Select(x => x.Data);
        return Of(fundId, ReportedPeriod.Of(period, knownOn, today), opening, posted, closing);
    }
}
