using System.Text.Json.Serialization;
using Funding.Funds;
using Funding.Ledger;
using Funding.Shared;
using NodaTime;

namespace Funding.Periods.Closing;

/// <summary>Ask to close a month for the whole ledger. A second finance officer confirms; months close in order.</summary>
/// <param name="Month">yyyy-MM, a month already over.</param>
public sealed record RequestMonthClose(string? Month) : ICommand, IChangesPeriods
{
    [JsonIgnore]
    public Guid PeriodsId => AccountingPeriods.StreamId;

    [JsonIgnore]
    public LocalDate? MonthEnd => Months.Parse(Month);

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (Month is null) errors.Add("month", "Say which month to close, as yyyy-MM.");
        else if (MonthEnd is not { } end) errors.Add("month", $"'{Month}' is not a month written yyyy-MM.");
        else if (end >= today) errors.Add("month", $"{Month} is not over yet: a month closes once its last day has passed.");
    }

    public static Decision Decide(AccountingPeriods books, RequestMonthClose command, string requestedBy)
    {
        var monthEnd = command.MonthEnd!.Value;
        if (books.PendingClose is { } pending)
            return new Rejection("close-already-requested", $"Closing {pending.MonthEnd:yyyy-MM} was asked by {pending.RequestedBy} and waits for confirmation.", "month");
        if (books.IsClosed(monthEnd))
            return new Rejection("already-closed", $"{monthEnd:yyyy-MM} is already closed (the books are closed through {books.ClosedThrough:yyyy-MM-dd}).", "month");
        if (books.FirstOpenDay is { } first && Months.EndOf(first) != monthEnd)
            return new Rejection("close-months-in-order", $"Months close in order: the next to close is {first:yyyy-MM}.", "month");
        return Decision.Accept(new MonthCloseRequested(monthEnd, requestedBy));
    }
}

/// <summary>A foreign-currency receivable open at the month's end that the month-end revaluation has not restated.</summary>
public sealed record RevaluationDue(Guid FundId, string FundCode, string Reference, string Currency);

/// <summary>What a close is checked against, read as at the month's end: every fund's figures, and what is not yet revalued.</summary>
/// <param name="RegularBudgetFunds">At a year's end, the regular-budget funds, whose unallocated appropriation lapses.</param>
public sealed record MonthEndFigures(IReadOnlyList<FundAtClose> Funds, IReadOnlyList<RevaluationDue> RevaluationsDue, IReadOnlyList<Fund> RegularBudgetFunds);

/// <summary>Confirm the requested close (a different finance officer). December's close is the year's close.</summary>
public sealed record ConfirmMonthClose : ICommand, IChangesPeriods
{
    [JsonIgnore]
    public Guid PeriodsId => AccountingPeriods.StreamId;

    public void Validate(ValidationErrors errors, LocalDate today)
    {
    }

    public static Decision Decide(AccountingPeriods books, MonthEndFigures figures, ConfirmMonthClose command, string confirmedBy)
    {
        if (books.PendingClose is not { } pending)
            return new Rejection("no-close-requested", "No month is waiting to be closed: ask for the close first.");
        if (pending.RequestedBy == confirmedBy)
            return new Rejection("four-eyes", $"{confirmedBy} asked for this close, so another finance officer must confirm it.");

        var unbalanced = figures.Funds.Where(x => !x.TrialBalance.Balanced).Select(x => x.Code).ToList();
        if (unbalanced.Count > 0)
            return new Rejection("trial-balance-not-zero", $"The trial balance at {pending.MonthEnd:yyyy-MM-dd} is not zero for {string.Join(", ", unbalanced)}.");
        if (figures.RevaluationsDue.Count > 0)
            return new Rejection("revaluation-missing",
                $"The month-end revaluation at {pending.MonthEnd:yyyy-MM-dd} is not done for " +
                string.Join("; ", figures.RevaluationsDue.GroupBy(x => x.FundCode).Select(g => $"{g.Key} ({string.Join(", ", g.Select(x => $"{x.Reference} {x.Currency}"))})")) +
                ": revalue each fund's receivables at the month's end first.");

        var events = new List<ILedgerEvent> { new MonthClosed(pending.MonthEnd, pending.RequestedBy, confirmedBy, figures.Funds) };
        if (pending.MonthEnd.Month == 12)
        {
            var year = pending.MonthEnd.Year;
            events.AddRange(figures.RegularBudgetFunds.Select(x => x.LapseAt(year)).OfType<AppropriationLapsed>());
            events.Add(new YearClosed(year, confirmedBy));
        }

        return Decision.Accept([.. events]);
    }
}

/// <summary>Take back a close that waits for confirmation, with a reason: the wrong month, or the books not ready.</summary>
public sealed record WithdrawMonthClose([property: MultiLineText] string? Reason) : ICommand, IChangesPeriods
{
    [JsonIgnore]
    public Guid PeriodsId => AccountingPeriods.StreamId;

    public void Validate(ValidationErrors errors, LocalDate today) =>
        Reasons.Check(errors, Reason, "asked for the wrong month: June, not July");

    public static Decision Decide(AccountingPeriods books, WithdrawMonthClose command, string withdrawnBy) =>
        books.PendingClose is { } pending
            ? Decision.Accept(new MonthCloseWithdrawn(pending.MonthEnd, command.Reason!.Trim(), withdrawnBy))
            : new Rejection("no-close-requested", "No month is waiting to be closed: there is nothing to withdraw.");
}
