using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.PackageFinance.Returning;
using Funding.Packages;
using Funding.Packages.Closing;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.PackageFinance;

/// <summary>Money going back: an allocation not transferred returns to its fund, and a package closes with nothing open.</summary>
public class ReturningMoneyTests
{
    static readonly FundsAllocated Allocated = new(FundId, PackageId, ElectoralPhase.Polling, Usd(1_000_000m), D(2024, 5, 1));
    static readonly FundsTransferred Transferred =
        new(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(600_000m), 0m, Usd(0m), Usd(600_000m), Usd(600_000m), Usd(0m), D(2024, 5, 2));
    static readonly ExpenditureReported AllSpent =
        new(FundId, PackageId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Certified, Usd(600_000m), Usd(600_000m), D(2024, 12, 31));

    static ReturnAllocation Return(decimal amount, ElectoralPhase phase = ElectoralPhase.Polling) =>
        new(FundId, phase, new Shared.MoneyInput(amount, "USD"), "Polling was delivered under budget", D(2025, 1, 10));

    [Fact]
    public void an_allocation_not_transferred_goes_back_to_the_fund_and_no_more()
    {
        var fund = Fund(Allocated, Transferred);

        ReturnAllocation.Decide(fund, ApprovedPackage(), Return(400_000.01m)).Rejection!
            .ShouldBe(new Shared.Rejection("return-exceeds-open-allocation",
                "TEST-FUND has USD 400,000 allocated to Polling and not transferred; return at most that.", "amount.amount"));
        ReturnAllocation.Decide(fund, ApprovedPackage(), Return(1m, ElectoralPhase.Results)).Rejection!.Rule.ShouldBe("nothing-allocated");
        ReturnAllocation.Decide(null, ApprovedPackage(), Return(1m)).Rejection!.Kind.ShouldBe(Shared.RefusalKind.NotFound);

        var returned = ReturnAllocation.Decide(fund, ApprovedPackage(), Return(150_000m));
        returned.Events.ShouldBe([new AllocationReturned(FundId, PackageId, ElectoralPhase.Polling, Usd(150_000m), "Polling was delivered under budget", D(2025, 1, 10))]);
        returned.Events[0].Postings.ShouldBe([new PostingLine(Account.AllocationsEarmarked, 150_000m), new PostingLine(Account.Allocations, -150_000m)]);

        var after = Fund([Allocated, Transferred, .. returned.Events]);
        (after.PhaseAccountFor(PackageId, ElectoralPhase.Polling)!.AllocationNotYetTransferred, after.UnallocatedWith(1_000_000m))
            .ShouldBe((250_000m, 150_000m));
        var status = ApprovedStatus([Allocated, Transferred, .. returned.Events]);
        (status.Allocated, status.Transferred, status.Gap).ShouldBe((850_000m, 600_000m, 150_000m));
    }

    [Fact]
    public void a_package_closes_only_with_every_allocation_transferred_or_returned()
    {
        var fund = Fund(Allocated, Transferred);
        var status = ApprovedStatus(Allocated, Transferred, AllSpent);

        ClosePackage.Decide(ApprovedPackage(), status, [fund], new ClosePackage(D(2025, 2, 1))).Rejection!
            .ShouldBe(new Shared.Rejection("allocations-open",
                "Allocated and not transferred: Polling (400,000.00). Return them to their funds first, or close with returnWhatIsLeft."));

        ClosePackage.Decide(ApprovedPackage(), status, [fund], new ClosePackage(D(2025, 2, 1), ReturnWhatIsLeft: true)).Events.ShouldBe([
            new AllocationReturned(FundId, PackageId, ElectoralPhase.Polling, Usd(400_000m), "Returned on closing the package", D(2025, 2, 1)),
            new PackageClosed(PackageId, D(2025, 2, 1)),
        ]);

        // A fund that allocated after the locks were taken was not loaded: nothing is written, the caller tries again.
        ClosePackage.Decide(ApprovedPackage(), status, [], new ClosePackage(D(2025, 2, 1), ReturnWhatIsLeft: true)).Rejection!.Kind
            .ShouldBe(Shared.RefusalKind.Conflict);
    }

    [Fact]
    public void money_held_by_an_implementing_organisation_comes_back_only_as_a_refund()
    {
        var status = ApprovedStatus(Allocated, Transferred);

        ClosePackage.Decide(ApprovedPackage(), status, [Fund(Allocated, Transferred)], new ClosePackage(D(2025, 2, 1), ReturnWhatIsLeft: true)).Rejection!
            .ShouldBe(new Shared.Rejection("unspent-money-held",
                "Implementing organisations still hold unspent money: UNDP (600,000.00). Record refunds or expenditure first."));
    }
}
