using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.PackageFinance;

/// <summary>Over HTTP: an allocation returned to its fund, and a package closed with what is left returned first.</summary>
public class ReturningMoneyApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    static PostingView Line(Account account, decimal debit, decimal credit) => new((int)account, account, debit, credit);

    [Fact]
    public async Task a_finance_officer_returns_an_allocation_then_the_package_closes_returning_the_rest()
    {
        var fundId = await api.FundWithCash("RET-FUND", 1_000_000m);
        var packageId = await api.ApprovedPackage("CF-RET-2024", "CF", ("Polling", 800_000m));
        await api.Record($"/api/packages/{packageId}/allocations", new { fundId, phase = "Polling", amount = Usd(600_000m), allocatedOn = "2024-05-01" });
        await api.Record($"/api/packages/{packageId}/transfers", new
        {
            fundId, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(200_000m), transferredOn = "2024-05-02",
        });

        (await api.Refused($"/api/packages/{packageId}/allocation-returns", new
        {
            fundId, phase = "Polling", amount = Usd(400_000.01m), reason = "Not needed", returnedOn = "2024-06-01",
        })).ShouldBe("return-exceeds-open-allocation");

        var returned = await api.Record($"/api/packages/{packageId}/allocation-returns", new
        {
            fundId, phase = "Polling", amount = Usd(100_000m), reason = "Polling was delivered under budget", returnedOn = "2024-06-01",
        });
        returned.ShouldBe(new Recorded(fundId, ["Allocation Returned"],
            [Line(Account.AllocationsEarmarked, 100_000m, 0m), Line(Account.Allocations, 0m, 100_000m)]), new RecordedComparer());
        var status = await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2024-06-01");
        (status.Allocated, status.Transferred, status.Gap).ShouldBe((500_000m, 200_000m, 300_000m));
        (await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement")).AllocatedNotYetTransferred.ShouldBe(300_000m);
        await api.TrialBalanceShouldBeZero(fundId);

        // UNDP has spent what it received; 300,000 is still allocated and not transferred.
        await api.Record($"/api/packages/{packageId}/expenditure", new
        {
            fundId, phase = "Polling", implementingOrganisation = "UNDP", basis = "Certified", cumulativeToDate = Usd(200_000m), asOf = "2024-12-31",
        });
        (await api.Refused($"/api/packages/{packageId}/closure", new { closedOn = "2025-01-15" })).ShouldBe("allocations-open");

        var closed = await api.Record($"/api/packages/{packageId}/closure", new { closedOn = "2025-01-15", returnWhatIsLeft = true });
        closed.ShouldBe(new Recorded(packageId, ["Allocation Returned", "Package Closed"],
            [Line(Account.AllocationsEarmarked, 300_000m, 0m), Line(Account.Allocations, 0m, 300_000m)]), new RecordedComparer());
        var after = await api.Get<PackageStatusReport>($"/api/packages/{packageId}/status?asOf=2025-01-15");
        (after.Stage, after.Allocated, after.Transferred).ShouldBe((Funding.Packages.PackageStatus.Closed, 200_000m, 200_000m));
        var statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        (statement.AllocatedNotYetTransferred, statement.BalanceWithAdministrativeAgent).ShouldBe((0m, 800_000m));
        await api.TrialBalanceShouldBeZero(fundId);
    }

    sealed class RecordedComparer : IEqualityComparer<Recorded>
    {
        public bool Equals(Recorded? x, Recorded? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Events.SequenceEqual(y.Events) && x.Postings.SequenceEqual(y.Postings);

        public int GetHashCode(Recorded obj) => obj.Id.GetHashCode();
    }
}
