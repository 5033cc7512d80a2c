using Marten;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Funding.Periods.Viewing;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Periods;

/// <summary>A month closed with four eyes: nothing dated in it afterwards, corrections on the first open day, and reopening.</summary>
public class ClosingAMonthTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    static string Rule(JsonElement problem) => problem.GetProperty("rule").GetString()!;

    [Fact]
    public async Task a_closed_month_refuses_what_is_dated_in_it_and_a_correction_is_dated_on_the_first_open_day()
    {
        var fund = await api.FundWithCash("PC-TF", 100_000m);
        await api.Record("/api/contributions/agreements", new
        {
            reference = "PC-AGR", fundId = fund, donor = "Norway", amount = Usd(500_000m), signedOn = "2024-01-20",
        }, 201);

        // Four eyes: who asked cannot confirm.
        await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-01" });
        Rule(await api.PostAs("fin-1", "/api/periods/closings/confirmation", new { }, 422)).ShouldBe("four-eyes");
        Rule(await api.PostAs("fin-2", "/api/periods/closings", new { month = "2024-02" }, 422)).ShouldBe("close-already-requested");
        var closed = await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { });
        closed.GetProperty("events").EnumerateArray().Select(x => x.GetString()).ShouldBe(["Month Closed"]);

        var periods = await api.Get<PeriodsReport>("/api/periods");
        (periods.ClosedThrough, periods.FirstOpenDay, periods.PendingClose).ShouldBe((D(2024, 1, 31), D(2024, 2, 1), null));
        var january = periods.Months.ShouldHaveSingleItem();
        (january.Month, january.Closed, january.Closes.Single().RequestedBy, january.Closes.Single().ConfirmedBy).ShouldBe(("2024-01", true, "fin-1", "fin-2"));
        // The close keeps the month-end figures: cash 100,000 and the receivable 500,000.
        var atClose = (await api.Get<List<Funding.Periods.FundAtClose>>("/api/periods/2024-01/figures-at-close")).ShouldHaveSingleItem();
        (atClose.Statement.BalanceWithAdministrativeAgent, atClose.Statement.ReceivablesOutstanding, atClose.TrialBalance.Balanced).ShouldBe((100_000m, 500_000m, true));

        // A deposit back-dated into January is refused, naming the field, the period and the first open day.
        var refused = await api.PostAs("fin-1", "/api/contributions/deposits", new
        {
            reference = "PC-AGR", fundId = fund, donor = "Norway", amount = Usd(1_000m), valueDate = "2024-01-25", transactionReference = "PC-BANK-1",
        }, 422);
        Rule(refused).ShouldBe("period-closed");
        refused.GetProperty("detail").GetString().ShouldBe(
            "2024-01 is closed: nothing may be dated on or before 2024-01-31 (2024-01-25 was given). The first open day is 2024-02-01; " +
            "a correction of a fact in a closed period is dated then and says what it corrects.");
        refused.GetProperty("errors").EnumerateObject().Single().Name.ShouldBe("valueDate");
        await api.PostAs("fin-1", "/api/contributions/deposits", new
        {
            reference = "PC-AGR", fundId = fund, donor = "Norway", amount = Usd(1_000m), valueDate = "2024-02-01", transactionReference = "PC-BANK-1",
        }, 201);
        Rule(await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-03" }, 422)).ShouldBe("close-months-in-order");

        // The agreement signed in January was recorded wrongly: reversed and re-entered on 1 February, naming what it corrects.
        var contribution = Funding.Contributions.ContributionIds.For("PC-AGR");
        await api.PostAs("fin-1", $"/api/contributions/{contribution}/agreement-corrections", new { amount = Usd(400_000m), reason = "Countersigned for 400,000" });
        var corrected = await api.PostAs("fin-2", $"/api/contributions/{contribution}/agreement-corrections/confirmation", new { });
        corrected.GetProperty("events").EnumerateArray().Select(x => x.GetString()).ShouldBe(["Agreement Reversed", "Agreement Signed"]);
        var movements = (await api.Get<Funding.Contributions.Contribution>($"/api/contributions/{contribution}")).Movements
            .Select(x => (x.Kind, x.On, x.UsdEquivalent.Amount)).ToList();
        movements.ShouldBe([
            (Funding.Contributions.ContributionMovementKind.Signed, D(2024, 1, 20), 500_000m),
            (Funding.Contributions.ContributionMovementKind.Received, D(2024, 2, 1), 1_000m),
            (Funding.Contributions.ContributionMovementKind.SigningReversed, D(2024, 2, 1), 500_000m),
            (Funding.Contributions.ContributionMovementKind.Signed, D(2024, 2, 1), 400_000m),
        ]);

        // As at January's end, as known today, the statement is still the one kept at the close.
        var asAtClose = await api.Get<FundStatementReport>($"/api/funds/{fund}/statement?asAt=2024-01-31");
        asAtClose.ShouldBe(atClose.Statement);
        (await api.Get<FundStatementReport>($"/api/funds/{fund}/statement")).ReceivablesOutstanding.ShouldBe(399_000m);

        // An administrator reopens January with a reason: the deposit can be dated there again, and the reports say so.
        Rule(await api.PostAs("admin-1", "/api/periods/reopenings", new { month = "2024-02", reason = "x" }, 422)).ShouldBe("not-closed");
        await api.PostAs("admin-1", "/api/periods/reopenings", new { month = "2024-01", reason = "The January bank statement was received late" });
        var reopened = await api.Get<PeriodsReport>("/api/periods");
        (reopened.ClosedThrough, reopened.Months.Single().Closed).ShouldBe((D(2023, 12, 31), false));
        reopened.Months.Single().Reopenings.Single().ShouldBe(new Funding.Periods.MonthReopening(
            D(2024, 1, 31), "The January bank statement was received late", "admin-1", reopened.Months.Single().Reopenings.Single().ReopenedOn));
        await api.PostAs("fin-1", "/api/contributions/deposits", new
        {
            reference = "PC-AGR", fundId = fund, donor = "Norway", amount = Usd(1_000m), valueDate = "2024-01-25", transactionReference = "PC-BANK-2",
        }, 201);
        // January's statement over the month says it was closed and reopened, and why.
        var books = (await api.Get<Funding.Statements.Periods.FundStatementPeriodReport>($"/api/funds/{fund}/statement/period?period=2024-01")).Books!;
        (books.Closed, books.Closes.Single().ConfirmedBy, books.Reopenings.Single().Reason).ShouldBe((false, "fin-2", "The January bank statement was received late"));
        await api.TrialBalanceShouldBeZero(fund);
    }

    static NodaTime.LocalDate D(int y, int m, int d) => new(y, m, d);
}

/// <summary>A month is closed only once its foreign-currency receivables are revalued at its end.</summary>
public class ClosingNeedsTheRevaluationTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task a_close_without_the_month_end_revaluation_is_refused_naming_the_fund_and_the_agreement()
    {
        await api.Record("/api/rates", new
        {
            effectiveOn = "2024-03-01", kind = "Monthly", reference = "UNORE 2024-03",
            rates = new[] { new { currency = "EUR", unitsPerUsd = 0.92m } },
        });
        await api.Record("/api/rates", new
        {
            effectiveOn = "2024-03-31", kind = "MidMonth", reference = "UNORE 2024-03 close",
            rates = new[] { new { currency = "EUR", unitsPerUsd = 0.93m } },
        });
        var fund = await api.FundWithCash("RV-TF", 10_000m);
        await api.Record("/api/contributions/agreements", new { reference = "RV-EU", fundId = fund, donor = "European Union", amount = Money(920_000m, "EUR"), signedOn = "2024-03-05" }, 201);

        await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-03" });
        var refused = await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { }, 422);
        (refused.GetProperty("rule").GetString(), refused.GetProperty("detail").GetString()).ShouldBe(("revaluation-missing",
            "The month-end revaluation at 2024-03-31 is not done for RV-TF (RV-EU EUR): revalue each fund's receivables at the month's end first."));

        // The request may be withdrawn meanwhile, with a reason, and asked again once the revaluation is done.
        await api.PostAs("fin-2", "/api/periods/closings/withdrawal", new { reason = "March's revaluation is not done yet" });
        (await api.Get<PeriodsReport>("/api/periods")).PendingClose.ShouldBeNull();
        (await api.PostAs("fin-2", "/api/periods/closings/withdrawal", new { reason = "again" }, 422)).GetProperty("rule").GetString().ShouldBe("no-close-requested");
        await api.Record($"/api/funds/{fund}/revaluations", new { monthEnd = "2024-03-31" });
        await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-03" });
        await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { });
        (await api.Get<PeriodsReport>("/api/periods")).ClosedThrough.ShouldBe(new NodaTime.LocalDate(2024, 3, 31));

        // audit verify finds March as its close kept it...
        var report = await Funding.Audit.Verifying.LedgerVerification.RunAsync(app.Store, app.ConnectionString, CancellationToken.None);
        (report.Passed, report.PeriodsChecked, report.ClosedPeriods!.Count).ShouldBe((true, 1, 0));

        // ...until something dated in March reaches the log without the pipeline's rule: the chain and the trial balance
        // agree with it, but March no longer equals what was closed.
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(fund, new Funding.Funds.InterestEarned(fund, Funding.Ledger.Money.Usd(5m), new NodaTime.LocalDate(2024, 3, 15)));
            await session.SaveChangesAsync();
        }

        var tampered = await Funding.Audit.Verifying.LedgerVerification.RunAsync(app.Store, app.ConnectionString, CancellationToken.None);
        (tampered.Passed, tampered.Chain.Count, tampered.TrialBalances.Count).ShouldBe((false, 0, 0));
        tampered.ClosedPeriods!.Select(x => (x.ReadModel, x.StreamId, x.Field)).ShouldBe([("FundStatement", fund, "2024-03 at close"), ("TrialBalance", fund, "2024-03 at close")]);
    }
}

/// <summary>The year's close lapses the regular budget's unallocated appropriation; allocations carry over.</summary>
public class YearEndCloseTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task closing_december_closes_the_year_and_lapses_what_the_regular_budget_did_not_allocate()
    {
        var fund = (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "YE-RB", name = "Regular budget, electoral assistance", kind = "RegularBudget", administrativeAgentFeePercent = 0,
            defaultIndirectCostPercent = 0, eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-02",
        }, 201)).FundId;
        await api.Record($"/api/funds/{fund}/appropriations", new { year = 2024, amount = Usd(1_000_000m), reference = "A/RES/78/253", appropriatedOn = "2024-01-02" });
        await api.Record($"/api/funds/{fund}/appropriations", new { year = 2025, amount = Usd(250_000m), reference = "A/RES/79/248", appropriatedOn = "2024-12-20" });
        var package = await api.ApprovedPackage("YE-CF", "CF", ("Polling", 800_000m));
        await api.Record($"/api/packages/{package}/allocations", new { fundId = fund, phase = "Polling", amount = Usd(500_000m), allocatedOn = "2024-04-10" });
        await api.Record($"/api/packages/{package}/transfers", new
        {
            fundId = fund, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(200_000m), transferredOn = "2024-04-11",
        });

        // November first (months close in order), then December: the year's close.
        await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-11" });
        await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { });
        await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-12" });
        var closed = await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { });
        closed.GetProperty("events").EnumerateArray().Select(x => x.GetString()).ShouldBe(["Month Closed", "Appropriation Lapsed", "Year Closed"]);

        // 1,000,000 for 2024, less 200,000 transferred and 300,000 still allocated: 500,000 lapses. 2025's 250,000 does not.
        var fundNow = await api.Get<Funding.Funds.Fund>($"/api/funds/{fund}");
        (fundNow.AppropriationsLapsed, fundNow.AppropriationAvailable, fundNow.OutstandingAllocations).ShouldBe((500_000m, 550_000m, 300_000m));
        var statement = await api.Get<FundStatementReport>($"/api/funds/{fund}/statement");
        (statement.OtherIncome, statement.AppropriationsLapsed, statement.TotalSources).ShouldBe((1_250_000m, 500_000m, 750_000m));
        var balance = await api.TrialBalanceShouldBeZero(fund);
        balance.Lines.Single(x => x.Account == Funding.Ledger.Account.AppropriationAvailable).Debit.ShouldBe(550_000m);
        (await api.Get<PeriodsReport>("/api/periods")).ClosedYears.ShouldBe([2024]);

        // The allocation carried over can still be transferred in the new year.
        await api.Record($"/api/packages/{package}/transfers", new
        {
            fundId = fund, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(300_000m), transferredOn = "2025-01-10",
        });
    }
}

/// <summary>Scenario I: a closed trust fund's balance goes back to its donors in proportion to what each deposited.</summary>
public class FundClosureRefundTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task the_balance_is_refunded_in_proportion_to_deposits_in_each_donors_currency_and_the_fund_ends_at_zero()
    {
        await api.Record("/api/rates", new
        {
            effectiveOn = "2024-01-01", kind = "Monthly", reference = "UNORE 2024-01",
            rates = new[] { new { currency = "EUR", unitsPerUsd = 0.920m }, new { currency = "JPY", unitsPerUsd = 150m } },
        });
        await api.Record("/api/rates", new
        {
            effectiveOn = "2024-12-01", kind = "Monthly", reference = "UNORE 2024-12",
            rates = new[] { new { currency = "EUR", unitsPerUsd = 0.935m }, new { currency = "JPY", unitsPerUsd = 148.25m } },
        });
        var fund = (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "FC-TF", name = "Closing trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0,
            defaultIndirectCostPercent = 0, eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-02",
        }, 201)).FundId;
        async Task Deposit(string donor, object amount, string reference) => await api.Record("/api/contributions/deposits", new
        {
            reference, fundId = fund, donor, amount, valueDate = "2024-02-01", transactionReference = $"BANK-{reference}",
        }, 201);
        await Deposit("Donor A", Usd(600_000m), "FC-A");
        await Deposit("Donor B", Money(276_000m, "EUR"), "FC-B");
        await Deposit("Donor C", Money(15_000_000m, "JPY"), "FC-C");

        // 900,000 spent through a package, closed; 100,000 left with the administrative agent.
        var package = await api.ApprovedPackage("FC-CF", "CF", ("Polling", 900_000m));
        await api.Record($"/api/packages/{package}/allocations", new { fundId = fund, phase = "Polling", amount = Usd(900_000m), allocatedOn = "2024-04-10" });
        await api.Record($"/api/packages/{package}/transfers", new
        {
            fundId = fund, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(900_000m), transferredOn = "2024-04-11",
        });
        await api.Record($"/api/packages/{package}/expenditure", new
        {
            fundId = fund, phase = "Polling", implementingOrganisation = "UNDP", basis = "Certified", cumulativeToDate = Usd(900_000m), asOf = "2024-11-30",
        });
        (await api.Get<FundStatementReport>($"/api/funds/{fund}/statement")).BalanceWithAdministrativeAgent.ShouldBe(100_000m);

        await api.PostAs("admin-1", $"/api/funds/{fund}/closure", new { stage = "Operational", closedOn = "2024-12-10" });
        var closed = await api.PostAs("admin-1", $"/api/funds/{fund}/closure", new { stage = "Financial", closedOn = "2024-12-15" });
        closed.GetProperty("events").EnumerateArray().Select(x => x.GetString())
            .ShouldBe(["Balance Refunded To Donor", "Balance Refunded To Donor", "Balance Refunded To Donor", "Fund Financially Closed"]);

        var refunds = (await api.Get<FundStatementReportWithRefunds>($"/api/funds/{fund}/statement")).RefundsToDonors;
        refunds.ShouldBe(100_000m);
        await using var session = app.Store.QuerySession();
        var events = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryRawEventDataOnly<Funding.Funds.BalanceRefundedToDonor>());
        events.Select(x => (x.Donor, x.Share.Amount, x.Paid.Amount, x.Paid.Currency, x.Rate, x.Deposited.Amount)).ShouldBe([
            ("Donor A", 60_000m, 60_000m, "USD", 1m, 600_000m),
            ("Donor B", 30_000m, 28_050m, "EUR", 0.935m, 300_000m),
            ("Donor C", 10_000m, 1_482_500m, "JPY", 148.25m, 100_000m),
        ]);

        var statement = await api.Get<FundStatementReport>($"/api/funds/{fund}/statement");
        (statement.BalanceWithAdministrativeAgent, statement.TotalBalance, statement.RefundsToDonors).ShouldBe((0m, 0m, 100_000m));
        await api.TrialBalanceShouldBeZero(fund);
        var donors = await api.Get<List<DonorStatementLine>>("/api/donors/statement");
        donors.Where(x => x.FundId == fund).Select(x => (x.Donor, x.Received, x.RefundedAtClosure)).ShouldBe([
            ("Donor A", 600_000m, 60_000m), ("Donor B", 300_000m, 30_000m), ("Donor C", 100_000m, 10_000m),
        ]);

        // A financially closed fund accepts nothing more.
        (await api.Refused("/api/contributions/deposits", new
        {
            reference = "FC-LATE", fundId = fund, donor = "Donor A", amount = Usd(1m), valueDate = "2024-12-20", transactionReference = "BANK-LATE",
        })).ShouldBe("fund-closed");
    }

    sealed record FundStatementReportWithRefunds(decimal RefundsToDonors);
}

/// <summary>One bank reference in one fund is one deposit, however it arrives.</summary>
public class DepositsNeverTwiceTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task a_deposit_with_a_reference_the_fund_holds_is_refused_by_hand_and_in_a_second_file()
    {
        var fund = await api.FundWithCash("DN-TF", 1_000m);
        await api.Record("/api/contributions/deposits", new
        {
            reference = "DN-1", fundId = fund, donor = "Sweden", amount = Usd(5_000m), valueDate = "2024-02-01", transactionReference = "SEB-0001",
        }, 201);
        var again = await api.PostAs("fin-1", "/api/contributions/deposits", new
        {
            reference = "DN-2", fundId = fund, donor = "Sweden", amount = Usd(5_000m), valueDate = "2024-02-01", transactionReference = " seb-0001",
        }, 409);
        again.GetProperty("rule").GetString().ShouldBe("deposit-already-recorded");
        again.GetProperty("errors").EnumerateObject().Single().Name.ShouldBe("transactionReference");

        // By file: one that repeats an earlier deposit, and one that repeats a line of its own.
        const string header = "reference,fund_code,donor,amount,currency,value_date,transaction_reference\n";
        var repeated = await Import(header + "DN-3,DN-TF,Norway,100,USD,2024-02-02,NOR-77\nDN-4,DN-TF,Sweden,100,USD,2024-02-02,SEB-0001\n", 422);
        repeated.GetProperty("errors").GetProperty("line 3: transaction_reference")[0].GetString()!.ShouldStartWith("deposit-already-recorded: DN-TF already holds");
        var twice = await Import(header + "DN-5,DN-TF,Norway,100,USD,2024-02-02,NOR-78\nDN-6,DN-TF,Norway,100,USD,2024-02-02,NOR-78\n", 422);
        twice.GetProperty("errors").EnumerateObject().Select(x => x.Name).ShouldBe(["line 3: transaction_reference"]);
        (await Import(header + "DN-5,DN-TF,Norway,100,USD,2024-02-02,NOR-78\n", 200)).GetProperty("outcome").GetString().ShouldBe("Imported");

        (await api.Get<FundStatementReport>($"/api/funds/{fund}/statement")).Contributions.ShouldBe(6_100m);
    }

    async Task<JsonElement> Import(string csv, int status)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Text(csv).ToUrl("/api/contributions/imports/deposits");
            s.WithRequestHeader("Content-Type", "text/csv");
            s.StatusCodeShouldBe(status);
        });
        return result.ReadAsJson<JsonElement>();
    }
}

/// <summary>A donor may have their share of a closed fund's balance moved to another fund instead of refunded.</summary>
public class FundClosureMoveTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task a_donors_instruction_moves_their_share_to_another_fund_and_both_books_balance()
    {
        var closing = await api.FundWithCash("MV-OLD", 90_000m);
        var receiving = await api.FundWithCash("MV-NEW", 10_000m);
        await api.Record("/api/contributions/deposits", new
        {
            reference = "MV-SWE", fundId = closing, donor = "Sweden", amount = Usd(30_000m), valueDate = "2024-02-01", transactionReference = "SEB-MV-1",
        }, 201);

        await api.PostAs("admin-1", $"/api/funds/{closing}/closure", new { stage = "Operational", closedOn = "2024-06-30" });
        var closed = await api.PostAs("admin-1", $"/api/funds/{closing}/closure", new
        {
            stage = "Financial", closedOn = "2024-07-01", instructions = new[] { new { donor = "Sweden", moveToFundId = receiving } },
        });
        closed.GetProperty("events").EnumerateArray().Select(x => x.GetString())
            .ShouldBe(["Balance Refunded To Donor", "Balance Moved To Fund", "Balance Received From Fund", "Fund Financially Closed"]);

        // "Donor" deposited 90,000 of the 120,000 and is refunded 90,000; Sweden's 30,000 moves to MV-NEW.
        var old = await api.Get<FundStatementReport>($"/api/funds/{closing}/statement");
        (old.RefundsToDonors, old.BalancesMovedToOtherFunds, old.BalanceWithAdministrativeAgent).ShouldBe((90_000m, 30_000m, 0m));
        var @new = await api.Get<FundStatementReport>($"/api/funds/{receiving}/statement");
        (@new.BalancesReceivedFromOtherFunds, @new.BalanceWithAdministrativeAgent).ShouldBe((30_000m, 40_000m));
        await api.TrialBalanceShouldBeZero(closing);
        await api.TrialBalanceShouldBeZero(receiving);

        // An instruction for a donor who gave nothing, or to a closed fund, is refused and nothing moves.
        var third = await api.FundWithCash("MV-THIRD", 1_000m);
        await api.PostAs("admin-1", $"/api/funds/{third}/closure", new { stage = "Operational", closedOn = "2024-06-30" });
        var refused = await api.PostAs("admin-1", $"/api/funds/{third}/closure", new
        {
            stage = "Financial", closedOn = "2024-07-01", instructions = new[] { new { donor = "Norway", moveToFundId = receiving } },
        }, 422);
        refused.GetProperty("rule").GetString().ShouldBe("unknown-donor");
    }
}

/// <summary>A file checked before a month closed and written after is refused whole: nothing lands in the closed month.</summary>
public class ImportAcrossACloseTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task a_file_decided_before_the_close_and_written_after_it_is_refused_and_writes_nothing()
    {
        await api.FundWithCash("IC-TF", 1_000m);
        var clock = app.Host.Services.GetRequiredService<NodaTime.IClock>();
        var actor = new Funding.Importing.ImportActor("tester", "close-race", "test");
        var file = System.Text.Encoding.UTF8.GetBytes(
            "reference,fund_code,donor,amount,currency,value_date,transaction_reference\nIC-1,IC-TF,Norway,400,USD,2024-05-10,NOR-IC-1\n");

        var (answer, decided) = await Funding.Importing.LedgerImport.DecideAsync(
            app.Store, clock, Funding.Importing.ImportKind.Deposits, file, actor, new Funding.Importing.ImportOptions(false), null, CancellationToken.None);
        answer.ShouldBeNull();
        // Meanwhile May is closed.
        await api.PostAs("fin-1", "/api/periods/closings", new { month = "2024-05" });
        await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { });
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();

        var result = await Funding.Importing.LedgerImport.WriteAsync(app.Store, decided!, actor, null, CancellationToken.None);

        (result.Outcome, result.Message.Contains("2024-05 is closed", StringComparison.Ordinal)).ShouldBe((Funding.Importing.ImportOutcome.Conflict, true));
        (await session.Events.QueryAllRawEvents().CountAsync()).ShouldBe(before);
        // Checked again, the same file names its line.
        var (again, _) = await Funding.Importing.LedgerImport.DecideAsync(
            app.Store, clock, Funding.Importing.ImportKind.Deposits, file, actor, new Funding.Importing.ImportOptions(false), null, CancellationToken.None);
        again!.Errors.Keys.ShouldBe(["line 2: value_date"]);
        again.Errors["line 2: value_date"].Single().ShouldStartWith("period-closed: 2024-05 is closed");
    }
}
