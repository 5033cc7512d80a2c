using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Rates;
using Funding.Statements;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace Funding.Integration;

/// <summary>
/// Turns what a save records into integration messages, in the same transaction: the messages go to Wolverine's
/// outbox table with the events, and are sent once it has committed (again by another node, or after a restart, if
/// this one dies first). Every save that records anything also asks for a flag review (<see cref="ReviewPackageFlags"/>),
/// through the same outbox. Attached to the store only when messaging is configured.
/// </summary>
public sealed class LedgerMessages : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        // After the inline projections: the read models this write changed are in the session as they will be saved.
        var events = session.PendingChanges.Streams().SelectMany(x => x.Events).ToList();
        if (events.Count > 0) await PublishAsync(session, events, token);
    }

    /// <summary>Publishes what the events say; the bulk import calls it with the events it wrote by COPY.</summary>
    public async Task PublishAsync(IDocumentSession session, IReadOnlyList<IEvent> events, CancellationToken token)
    {
        // The events carry the request's (an import's set on each); a session's own may be a trace id Marten picked up.
        var correlation = events.Select(x => x.CorrelationId).FirstOrDefault(x => !string.IsNullOrEmpty(x)) ?? session.CorrelationId ?? "";
        var sink = await ((IStorageOperations)session).GetOrStartMessageSink();
        var metadata = new MessageMetadata { CorrelationId = correlation, CausationId = session.CausationId };
        var moved = new List<(Guid PackageId, IEvent Event)>();
        foreach (var e in events)
        {
            switch (What(e.Data))
            {
                case Publishes.Deposit:
                    await sink.PublishAsync(await ReceivedAsync(e, (DepositReceived)e.Data, session, correlation, token), metadata);
                    break;
                case Publishes.Agreement:
                    await sink.PublishAsync(await SignedAsync(e, (Contributions.AgreementSigned)e.Data, session, correlation, token), metadata);
                    break;
                case Publishes.Approval:
                    await sink.PublishAsync(await ApprovedAsync(e, (Packages.PackageApproved)e.Data, session, correlation, token), metadata);
                    break;
                case Publishes.PackageMoney:
                    moved.Add((((IPackageEvent)e.Data).PackageId, e));
                    break;
                case Publishes.Nothing:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(events), What(e.Data), "Unknown publication.");
            }
        }

        foreach (var package in moved.GroupBy(x => x.PackageId))
        {
            var status = await session.LoadAsync<PackageFundingStatus>(package.Key, token)
                ?? throw new InvalidOperationException($"Money moved for package {package.Key}, which has no status.");
            await sink.PublishAsync(FundingChanged(status, package.Select(x => x.Event).ToList(), correlation), metadata);
        }

        await sink.PublishAsync(new ReviewPackageFlags(correlation), metadata);
    }

    enum Publishes
    {
        Nothing,
        Deposit,
        Agreement,
        Approval,
        PackageMoney,
    }

    /// <summary>
    /// What each event of the ledger publishes. Every type is named, so a new event cannot be left out unnoticed: one
    /// that is not named here fails the save that records it (and <c>IntegrationMessageTests</c> goes through them all).
    /// </summary>
    static Publishes What(object e) => e switch
    {
        DepositReceived => Publishes.Deposit,
        Contributions.AgreementSigned => Publishes.Agreement,
        Packages.PackageApproved => Publishes.Approval,
        // The package's money or requirement moves: its figures after the write.
        FundsAllocated or AllocationReturned or FundsTransferred or ExpenditureReported or RefundReceived or BudgetRevisionApproved
            => Publishes.PackageMoney,
        // Promises and corrections of promises: no cash and no decision. A correction's new agreement is published.
        PledgeRecorded or PledgeReduced or AgreementCorrectionRequested or AgreementReversed or AgreementReductionRequested or AgreementReduced
            => Publishes.Nothing,
        // Month-end bookkeeping and the funds' own accounts; they change no package's figures (the flag review sees what they do to the forecast).
        ReceivableRevalued or FundEstablished or InterestEarned or AdministrativeAgentFeeCharged or RegularBudgetAppropriated or AppropriationLapsed
            or BalanceRefundedToDonor or BalanceMovedToFund or BalanceReceivedFromFund or FundOperationallyClosed or FundFinanciallyClosed
            or OperationalRatesPublished => Publishes.Nothing,
        // Steps before or after the decision; the flags they change are the review's.
        PackageRequested or NeedsAssessed or BudgetRevisionRequested or PackageClosed => Publishes.Nothing,
        Periods.MonthCloseRequested or Periods.MonthCloseWithdrawn or Periods.MonthClosed or Periods.MonthReopened or Periods.YearClosed
            => Publishes.Nothing,
        _ => throw new InvalidOperationException(
            $"{e.GetType().Name} has no integration message rule: say in LedgerMessages.What what it publishes, even if nothing."),
    };

    /// <summary>Whether the ledger publishes anything for an event type (for the tests that go through every type).</summary>
    public static bool Names(object e)
    {
        What(e);
        return true;
    }

    static async Task<ContributionReceived> ReceivedAsync(IEvent e, DepositReceived x, IDocumentSession session, string correlation, CancellationToken token)
    {
        var (fund, earmark, country) = await WhereAsync(x.FundId, x.ContributionId, session, token);
        return new ContributionReceived(e.Id, x.ContributionId, x.Reference, x.FundId, fund?.Code ?? "", x.Donor, MoneyValue.Of(x.Amount), x.Rate,
            MoneyValue.Of(x.UsdEquivalent), x.ValueDate, x.TransactionReference, earmark, country, correlation);
    }

    static async Task<AgreementSigned> SignedAsync(IEvent e, Contributions.AgreementSigned x, IDocumentSession session, string correlation, CancellationToken token)
    {
        var (fund, _, country) = await WhereAsync(x.FundId, x.ContributionId, session, token);
        return new AgreementSigned(e.Id, x.ContributionId, x.Reference, x.FundId, fund?.Code ?? "", x.Donor, MoneyValue.Of(x.Amount), x.Rate,
            MoneyValue.Of(x.UsdEquivalent), x.SignedOn, x.Instalments.Select(i => new InstalmentDue(i.DueOn, MoneyValue.Of(i.Amount))).ToList(),
            x.EarmarkedPackageId, x.CorrectsEventId is not null, country, correlation);
    }

    /// <summary>
    /// A contribution's country: its earmarked package's, else its fund's when the fund serves one country only. The
    /// documents are as this save leaves them: a write's from the identity map, where its lock batch or aggregate loading
    /// put them and its inline projections changed them; an import's from its transaction, which holds them.
    /// </summary>
    static async Task<(Fund? Fund, Guid? Earmark, string? Country)> WhereAsync(Guid fundId, Guid contributionId, IDocumentSession session, CancellationToken token)
    {
        var fund = await session.LoadAsync<Fund>(fundId, token);
        var earmark = (await session.LoadAsync<Contribution>(contributionId, token))?.EarmarkedPackageId;
        var country = earmark is { } packageId
            ? (await session.LoadAsync<PackageFundingStatus>(packageId, token))?.Country
            : fund?.EligibleCountries is [var only] ? only : null;
        return (fund, earmark, country);
    }

    static async Task<PackageApproved> ApprovedAsync(IEvent e, Packages.PackageApproved x, IDocumentSession session, string correlation, CancellationToken token)
    {
        var status = await session.LoadAsync<PackageFundingStatus>(x.PackageId, token)
            ?? throw new InvalidOperationException($"Package {x.PackageId} was approved without a status.");
        var phases = x.ApprovedPhases.OrderBy(p => p.StartsOn).ThenBy(p => p.Phase)
            .Select(p => new PhaseRequirement(p.Phase, p.StartsOn, p.EndsOn, MoneyValue.Of(p.Budget))).ToList();
        return new PackageApproved(e.Id, x.PackageId, status.Code, status.Country, status.ElectoralProcess, status.ElectionDay, status.Mandated,
            x.ApprovedOn, MoneyValue.Usd(x.ApprovedPhases.Sum(p => p.Budget.Amount)), phases, correlation);
    }

    static PackageFundingChanged FundingChanged(PackageFundingStatus status, IReadOnlyList<IEvent> events, string correlation) => new(
        status.Id, status.Code, status.Country, events.Max(x => BusinessDates.Of(x.Data)), events.Select(x => x.Data.GetType().Name).Distinct().ToList(),
        events.Select(x => x.Id).ToList(), status.Status, MoneyValue.Usd(status.Approved), MoneyValue.Usd(status.Allocated),
        MoneyValue.Usd(status.Transferred), MoneyValue.Usd(status.Refunded), MoneyValue.Usd(status.Spent), MoneyValue.Usd(status.Gap),
        status.CoveragePercent, correlation);
}
