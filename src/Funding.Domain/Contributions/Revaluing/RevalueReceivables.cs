using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using NodaTime;

namespace Funding.Contributions.Revaluing;

/// <summary>
/// Revalue a fund's open foreign-currency receivables at the closing rate of a month-end (IPSAS 4). Running it
/// again for the same month changes nothing.
/// </summary>
public sealed record RevalueReceivables(LocalDate? MonthEnd) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (MonthEnd is null) errors.Add("monthEnd", "The month-end to revalue at is required.");
        else if (MonthEnd.Value.Day != MonthEnd.Value.Calendar.GetDaysInMonth(MonthEnd.Value.Year, MonthEnd.Value.Month))
            errors.Add("monthEnd", $"{MonthEnd:yyyy-MM-dd} is not the last day of its month.");
    }

    /// <param name="contributions">The fund's contributions, each as loaded for writing: a payment recorded meanwhile fails the write.</param>
    /// <returns>One revaluation on each open receivable's stream.</returns>
    public static Decision Decide(Fund fund, IEnumerable<Contribution> contributions, OperationalRates? rates, RevalueReceivables command)
    {
        var monthEnd = command.MonthEnd!.Value;
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.");

        var events = new List<ILedgerEvent>();
        foreach (var contribution in contributions.Where(c => c.FundId == fund.Id && c.IsRevaluationDue(monthEnd)).OrderBy(c => c.Reference, StringComparer.Ordinal))
        {
            var closing = rates?.InForce(contribution.Currency, monthEnd);
            if (closing is null)
                return new Rejection("no-rate-in-force", $"No UN operational rate for {contribution.Currency} is in force on {monthEnd:yyyy-MM-dd}.", "monthEnd");

            var receivable = new Money(contribution.Receivable, contribution.Currency);
            var before = Money.Usd(contribution.ReceivableUsd);
            var after = receivable.ToUsd(closing.UnitsPerUsd);
            events.Add(new ReceivableRevalued(contribution.Id, fund.Id, monthEnd, closing.UnitsPerUsd, receivable, before, after, after - before));
        }

        return Decision.Accept(events.ToArray());
    }
}
