using System.Security.Claims;
using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.Statements;
using NodaTime;

namespace Funding.Periods.Closing;

public static class RequestMonthCloseEndpoint
{
    [WolverinePost("/api/periods/closings")]
    [RequestExample("""{"month":"2025-06"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Periods")]
    [EndpointSummary("Ask to close a month for the whole ledger (a second finance officer confirms)")]
    public static Decision Post(
        RequestMonthClose command, [WriteAggregate(nameof(RequestMonthClose.PeriodsId), Required = false)] AccountingPeriods? periods, ClaimsPrincipal user) =>
        RequestMonthClose.Decide(periods ?? AccountingPeriods.None, command, ActorStamp.NameOf(user));
}

public static class ConfirmMonthCloseEndpoint
{
    /// <summary>
    /// The month's figures, read under the periods' lock that this command holds alone: every fund's statement and trial
    /// balance as at the month's end, and the receivables its revaluation has not restated.
    /// </summary>
    public static async Task<MonthEndFigures> LoadAsync(IDocumentSession session, CancellationToken cancellation)
    {
        var periods = await session.LoadAsync<AccountingPeriods>(AccountingPeriods.StreamId, cancellation);
        if (periods?.PendingClose is not { MonthEnd: var monthEnd }) return new MonthEndFigures([], [], []);

        var cut = new ReportCut(monthEnd, null);
        var funds = (await session.Query<Fund>().OrderBy(x => x.Code).ToListAsync(cancellation)).Where(x => x.EstablishedOn <= monthEnd).ToList();
        var figures = new List<FundAtClose>();
        foreach (var fund in funds)
        {
            var replay = await HistoricalStatements.ForFund(session, fund.Id, cut, cancellation);
            figures.Add(new FundAtClose(fund.Id, fund.Code,
                FundStatementReport.From(replay.FundStatements[fund.Id]), TrialBalanceReport.From(fund.Id, replay.TrialBalances.GetValueOrDefault(fund.Id))));
        }

        var codes = funds.ToDictionary(x => x.Id, x => x.Code);
        var due = (await session.Query<Contribution>().Where(x => x.Currency != Currency.UsdCode && x.Signed > 0m).ToListAsync(cancellation))
            .Where(x => x.IsRevaluationDue(monthEnd))
            .OrderBy(x => codes.GetValueOrDefault(x.FundId), StringComparer.Ordinal).ThenBy(x => x.Reference, StringComparer.Ordinal)
            .Select(x => new RevaluationDue(x.FundId, codes.GetValueOrDefault(x.FundId, x.FundId.ToString()), x.Reference, x.Currency))
            .ToList();
        // At a year's end the regular-budget funds' streams are loaded for writing: their unallocated appropriation lapses.
        var regularBudget = new List<Fund>();
        foreach (var fund in monthEnd.Month == 12 ? funds.Where(x => x.Kind == FundKind.RegularBudget) : [])
            regularBudget.Add((await session.Events.FetchForWriting<Fund>(fund.Id, cancellation)).Aggregate!);
        return new MonthEndFigures(figures, due, regularBudget);
    }

    [WolverinePost("/api/periods/closings/confirmation")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Periods")]
    [EndpointSummary("Confirm the requested close (a different finance officer); December's close closes the year and lapses the regular budget")]
    public static Decision Post(
        ConfirmMonthClose command, [WriteAggregate(nameof(ConfirmMonthClose.PeriodsId), Required = false)] AccountingPeriods? periods,
        MonthEndFigures figures, ClaimsPrincipal user) =>
        ConfirmMonthClose.Decide(periods ?? AccountingPeriods.None, figures, command, ActorStamp.NameOf(user));
}

public static class WithdrawMonthCloseEndpoint
{
    [WolverinePost("/api/periods/closings/withdrawal")]
    [RequestExample("""{"reason":"Asked for the wrong month: June, not July"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Periods")]
    [EndpointSummary("Withdraw the close waiting for confirmation, with a reason")]
    public static Decision Post(
        WithdrawMonthClose command, [WriteAggregate(nameof(WithdrawMonthClose.PeriodsId), Required = false)] AccountingPeriods? periods, ClaimsPrincipal user) =>
        WithdrawMonthClose.Decide(periods ?? AccountingPeriods.None, command, ActorStamp.NameOf(user));
}
