using Microsoft.AspNetCore.Authorization;
using Funding.Access;
using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace Funding.Contributions.Revaluing;

/// <summary>
/// Revalue a fund's open foreign-currency receivables at the closing rate of a month-end (IPSAS 4). Running it
/// again for the same month changes nothing.
/// </summary>
public sealed record RevalueReceivables(LocalDate? MonthEnd);

public static class RevalueReceivablesEndpoint
{
    public static ProblemDetails Validate(RevalueReceivables command)
    {
        var errors = new ValidationErrors();
        if (command.MonthEnd is null) errors.Add("monthEnd", "The month-end to revalue at is required.");
        else if (command.MonthEnd.Value.Day != command.MonthEnd.Value.Calendar.GetDaysInMonth(command.MonthEnd.Value.Year, command.MonthEnd.Value.Month))
            errors.Add("monthEnd", $"{command.MonthEnd:yyyy-MM-dd} is not the last day of its month.");
        return errors.ToProblemDetails();
    }

    public static Decision Decide(Fund fund, IEnumerable<Contribution> contributions, OperationalRates? rates, RevalueReceivables command)
    {
        var monthEnd = command.MonthEnd!.Value;
        if (fund.Status == FundStatus.FinanciallyClosed)
            return new Rejection("fund-financially-closed", $"{fund.Code} is financially closed.");

        var events = new List<object>();
        foreach (var contribution in contributions.Where(c => c.FundId == fund.Id && c.Currency != Currency.UsdCode && c.Receivable > 0m)
                     .Where(c => c.Movements.Any(m => m.Kind == ContributionMovementKind.Signed && m.On <= monthEnd))
                     .Where(c => c.LastRevaluedAt is null || c.LastRevaluedAt < monthEnd)
                     .OrderBy(c => c.Reference, StringComparer.Ordinal))
        {
            var closing = rates?.InForce(contribution.Currency, monthEnd);
            if (closing is null)
                return new Rejection("no-rate-in-force", $"No UN operational rate for {contribution.Currency} is in force on {monthEnd:yyyy-MM-dd}.", "monthEnd");

            var receivable = new Money(contribution.Receivable, contribution.Currency);
            var before = Money.Usd(contribution.ReceivableUsd);
            var after = receivable.ToUsd(closing.UnitsPerUsd);
            events.Add(new ReceivableRevalued(contribution.Id, fund.Id, monthEnd, closing.UnitsPerUsd, receivable, before, after, after - before));
        }

        return Decision.Accept([.. events]);
    }

    [WolverinePost("/api/funds/{fundId}/revaluations")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Revalue open foreign-currency receivables at a month-end closing rate (idempotent per month)")]
    public static async Task<IResult> Post(Guid fundId, RevalueReceivables command, IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        if (answered is not null) return answered;

        await ReadModelLocks.ForFundAsync(session, fundId, cancellation);
        var fund = await session.LoadAsync<Fund>(fundId, cancellation);
        if (fund is null) return Rejection.NotFound("fundId", "fund");

        // Each open receivable is decided on its stream as fetched for writing, so a payment recorded meanwhile
        // makes this command fail with a conflict instead of revaluing a stale amount.
        var ids = await session.Query<Contribution>()
            .Where(x => x.FundId == fundId && x.Currency != Currency.UsdCode && x.Signed > 0m)
            .Select(x => x.Id).ToListAsync(cancellation);
        var streams = new Dictionary<Guid, JasperFx.Events.IEventStream<Contribution>>();
        foreach (var id in ids) streams[id] = await session.Events.FetchForWriting<Contribution>(id, cancellation);

        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var decision = Decide(fund, streams.Values.Select(x => x.Aggregate!), rates, command);
        if (decision.Rejection is { } rejection) return Answer(rejection.ToResult());

        foreach (var revalued in decision.Events.Cast<ReceivableRevalued>()) streams[revalued.ContributionId].AppendOne(revalued);

        return Answer(Results.Ok(Recorded.From(fundId, decision.Events)));

        IResult Answer(IResult answer) => request?.Remember(session, answer) ?? answer;
    }
}
