using Funding.Contributions;
using Funding.Contributions.Receiving;
using Funding.Ledger;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Marten;
using NodaTime;

namespace Funding.Tests.Contributions;

/// <summary>
/// The deciders refuse a deposit whose bank reference the fund already holds. Behind them, the read model of recorded
/// deposits inserts one document per deposit, so a second one that reached the store anyway fails its save.
/// </summary>
public class RecordedDepositTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task a_second_deposit_under_a_held_reference_that_bypasses_the_decider_fails_its_save_and_writes_nothing()
    {
        var fund = await api.FundWithCash("RD-TF", 1_000m);
        var key = RecordedDeposit.KeyOf(fund, "TX-RD-TF-CASH");
        FundStatement before;
        await using (var query = app.Store.QuerySession()) before = (await query.LoadAsync<FundStatement>(fund))!;

        var contribution = Guid.NewGuid();
        var amount = Money.Usd(250m);
        await using (var session = app.Store.LightweightSession())
        {
            // The same reference as the fund's first deposit, written as different case and spacing.
            session.Events.StartStream<Contribution>(contribution, new DepositReceived(
                contribution, "RD-AGAIN", fund, "Donor", amount, 1m, amount, new LocalDate(2024, 1, 11), Money.Usd(0m), Money.Usd(0m), amount,
                TransactionReference: " tx-rd-tf-cash "));
            await Should.ThrowAsync<JasperFx.DocumentAlreadyExistsException>(() => session.SaveChangesAsync());
        }

        await using var after = app.Store.QuerySession();
        (await after.Events.FetchStreamStateAsync(contribution)).ShouldBeNull();
        var held = (await after.LoadAsync<RecordedDeposit>(key)).ShouldNotBeNull();
        (held.Reference, held.Amount, held.TransactionReference).ShouldBe(("RD-TF-CASH", Money.Usd(1_000m), "TX-RD-TF-CASH"));
        (await after.LoadAsync<FundStatement>(fund)).ShouldBeEquivalentTo(before);
    }
}
