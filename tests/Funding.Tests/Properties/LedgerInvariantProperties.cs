using FsCheck.Xunit;
using Funding.Contributions;
using Funding.Ledger;

namespace Funding.Tests.Properties;

/// <summary>
/// Random sequences of valid and invalid commands, in several currencies and rates, through the real deciders.
/// After every step the ledger's invariants hold. A failure prints FsCheck's seed: add it below as a Replay case.
/// </summary>
public class LedgerInvariantProperties
{
    [Property(MaxTest = 2000, Arbitrary = [typeof(LedgerGenerators)])]
    public void invariants_hold_after_every_command(LedgerScript script)
    {
        var model = new LedgerModel();
        foreach (var command in script.Commands)
        {
            var before = model.Snapshot();
            var funding = Funding(model);
            var closedThrough = model.Periods.ClosedThrough;
            var (ok, events) = model.Execute(command);

            if (!ok)
            {
                model.Snapshot().ShouldBe(before, $"a refused {command} changed nothing");
            }
            else
            {
                foreach (var e in events)
                    LedgerEvents.Of(e).Postings.Sum(x => x.Amount).ShouldBe(0m, $"each {e.GetType().Name} posts lines that sum to zero");
                foreach (var e in events.Where(x => x is not global::Funding.Periods.IPeriodEvent && closedThrough is not null))
                    LedgerEvents.Of(e).BusinessDate.ShouldBeGreaterThan(closedThrough!.Value, $"no accepted {e.GetType().Name} lands in a closed month");
                if (command is ModelCommand.Pledge)
                {
                    events.ShouldAllBe(e => e is PledgeRecorded);
                    Funding(model).ShouldBe(funding, "a pledge never changes funding");
                }
            }

            HoldsEverywhere(model, command);
        }

        // Replaying what was recorded gives the same state.
        model.Replay().Snapshot().ShouldBe(model.Snapshot());
    }

    /// <summary>What counts as funding: cash, receivables and what packages have been given. Pledges are not in it.</summary>
    static (decimal Cash, decimal Receivables, decimal Allocated, decimal Transferred) Funding(LedgerModel model) =>
        (Balance(model, Account.Cash), Balance(model, Account.ReceivablesFromDonors), model.PackageStatus.Allocated, model.PackageStatus.Transferred);

    static decimal Balance(LedgerModel model, Account account) => model.TrialBalance.Balances.GetValueOrDefault(account);

    static void HoldsEverywhere(LedgerModel model, ModelCommand after)
    {
        var because = $"after {after}";
        model.TrialBalance.Difference.ShouldBe(0m, $"postings balance per fund and currency {because}");

        var cash = Balance(model, Account.Cash);
        cash.ShouldBeGreaterThanOrEqualTo(0m, $"cash is never negative {because}");
        cash.ShouldBe(model.Fund_.CashWith(model.Statement.Contributions), $"the books and the fund agree on cash {because}");

        var outstandingAllocations = Balance(model, Account.Allocations);
        outstandingAllocations.ShouldBe(model.Fund_.OutstandingAllocations, because);
        outstandingAllocations.ShouldBeLessThanOrEqualTo(cash + Balance(model, Account.AppropriationAvailable),
            $"allocations not yet transferred fit in cash plus appropriation {because}");

        foreach (var phase in model.Fund_.Phases.Values)
        {
            phase.Transferred.ShouldBeLessThanOrEqualTo(phase.Allocated, $"transfers stay within allocations {because}");
            foreach (var (organisation, account) in phase.Organisations)
            {
                account.SpentToDate.ShouldBeLessThanOrEqualTo(account.NetTransfers, $"{organisation} spends at most its net transfers {because}");
                account.Unspent.ShouldBeGreaterThanOrEqualTo(0m, because);
            }
        }

        foreach (var phase in model.PackageStatus.Phases)
        {
            phase.Allocated.ShouldBeLessThanOrEqualTo(phase.Approved, $"allocations stay within the requirement, revised or not {because}");
        }

        if (model.PackageStatus.Stage == global::Funding.Packages.PackageStatus.Closed)
        {
            (model.PackageStatus.Allocated - model.PackageStatus.Transferred).ShouldBe(0m, $"nothing stays allocated to a closed package {because}");
            model.PackageStatus.UnspentByOrganisation.Values.ShouldAllBe(x => x == 0m, $"nothing stays unspent with a closed package {because}");
        }

        Balance(model, Account.ReceivablesFromDonors).ShouldBe(model.Statement.ReceivablesOutstanding, $"receivables agree {because}");
        model.History.OfType<DepositReceived>().GroupBy(x => x.TransactionReference).ShouldAllBe(g => g.Count() == 1, $"one bank reference is one deposit {because}");
        Balance(model, Account.AmountsTransferred).ShouldBe(model.Statement.BalanceWithImplementingOrganisations, $"balance with implementing organisations agrees {because}");
    }
}

/// <summary>The generator is only worth something if the sequences it makes get past the rules.</summary>
public class LedgerGeneratorCoverage
{
    [Fact]
    public void generated_scripts_get_every_kind_of_money_event_accepted()
    {
        var accepted = new Dictionary<string, int>();
        var refused = 0;
        // A fixed seed: the same 300 scripts of up to 60 commands every run.
        var (scripts, commands) = (0, 0);
        foreach (var script in FsCheck.Fluent.Gen.Sample(LedgerGenerators.Script().Generator, 300, new FsCheck.Rnd(20241123UL), 60))
        {
            scripts++;
            commands += script.Commands.Count;
            var model = new LedgerModel();
            foreach (var command in script.Commands)
            {
                var (ok, events) = model.Execute(command);
                if (!ok) refused++;
                foreach (var e in events) accepted[e.GetType().Name] = accepted.GetValueOrDefault(e.GetType().Name) + 1;
            }
        }

        accepted.Keys.Order().ToList().ShouldBe(customMessage: $"{scripts} scripts, {commands} commands: " + string.Join(", ", accepted.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value}")), expected: [
            "AdministrativeAgentFeeCharged", "AgreementReduced", "AgreementReductionRequested", "AgreementSigned", "AllocationReturned",
            "BudgetRevisionApproved", "BudgetRevisionRequested", "DepositReceived", "ExpenditureReported", "FundsAllocated", "FundsTransferred",
            "InterestEarned", "MonthClosed", "MonthCloseRequested", "MonthReopened", "PackageClosed", "PledgeRecorded", "ReceivableRevalued",
            "RefundReceived", "YearClosed",
        ]);
        refused.ShouldBeGreaterThan(0);
    }
}
