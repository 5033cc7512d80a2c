using System.Security.Claims;
using Alba;
using Funding.Contributions;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Audit;

/// <summary>
/// Reports as at a business date and as known on a day: an agreement recorded in June as NOK 15,000,000 is corrected
/// on July 10 to NOK 12,000,000. As at June 30, as known on July 1, the books show the original; as known on July 11,
/// the corrected figures. The service's clock is moved by the test, so "recorded on" is exact.
/// </summary>
public class AsKnownOnTests(AsKnownOnTests.ClockedLedger app) : IClassFixture<AsKnownOnTests.ClockedLedger>
{
    public sealed class ClockedLedger : FundingApp
    {
        public MovableClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    readonly LedgerApi api = new(app.Host);

    void ClockAt(int month, int day, int hour = 9) => app.Clock.Now = new DateTimeOffset(2025, month, day, hour, 0, 0, TimeSpan.Zero);

    async Task<Guid> Fund(string code)
    {
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code, name = $"{code} trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7, establishedOn = "2025-01-02",
        }, 201);
        return fund.FundId;
    }

    Task<IScenarioResult> As(string user, string url, object body, string? correlationId = null, string? idempotencyKey = null) => app.Host.Scenario(s =>
    {
        s.Post.Json(body).ToUrl(url);
        s.RemoveClaim("sub");
        s.WithClaim(new Claim("sub", user));
        if (correlationId is not null) s.WithRequestHeader("X-Correlation-Id", correlationId);
        if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
        s.StatusCodeShouldBeOk();
    });

    [Fact]
    public async Task a_correction_on_july_10_changes_june_only_for_reports_known_after_it()
    {
        ClockAt(6, 2);
        var fundId = await Fund("KNOWN");
        await api.Post<object>("/api/rates", new { effectiveOn = "2025-06-01", kind = "Monthly", reference = "UNORE 2025-06", rates = new[] { new { currency = "NOK", unitsPerUsd = 10.00m } } });
        ClockAt(6, 16);
        var signed = await api.Record("/api/contributions/agreements", new
        {
            reference = "NOR-K", fundId, donor = "Norway", amount = Money(15_000_000m, "NOK"), signedOn = "2025-06-15",
        }, 201);
        ClockAt(6, 20);
        await api.Record("/api/contributions/deposits", new { reference = "NOR-K", fundId, donor = "Norway", amount = Money(5_000_000m, "NOK"), valueDate = "2025-06-20", transactionReference = "TX-NOR-K" }, 201);

        ClockAt(7, 10);
        const string reason = "The agreement as countersigned on 15 June says NOK 12,000,000";
        await As("fo-ada", $"/api/contributions/{signed.Id}/agreement-corrections",
            new { amount = Money(12_000_000m, "NOK"), reason }, correlationId: "ticket-4711", idempotencyKey: "correct-NOR-K");
        await As("fo-ben", $"/api/contributions/{signed.Id}/agreement-corrections/confirmation", new { });

        // (receivables outstanding, contributions received, receivables account, revenue account) in USD
        async Task<(decimal, decimal, decimal, decimal)> Books(string query)
        {
            var statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement{query}");
            var balance = await api.Get<TrialBalanceReport>($"/api/funds/{fundId}/trial-balance{query}");
            balance.Balanced.ShouldBeTrue();
            return (statement.ReceivablesOutstanding, statement.Contributions,
                balance.Lines.Single(x => x.Account == Funding.Ledger.Account.ReceivablesFromDonors).Debit,
                balance.Lines.Single(x => x.Account == Funding.Ledger.Account.ContributionRevenue).Credit);
        }

        (await Books("?asAt=2025-06-30&knownOn=2025-07-01")).ShouldBe((1_000_000m, 500_000m, 1_000_000m, 1_500_000m));
        (await Books("?asAt=2025-06-30&knownOn=2025-07-09")).ShouldBe((1_000_000m, 500_000m, 1_000_000m, 1_500_000m));
        (await Books("?asAt=2025-06-30&knownOn=2025-07-11")).ShouldBe((700_000m, 500_000m, 700_000m, 1_200_000m));
        (await Books("?asAt=2025-06-16&knownOn=2025-07-11")).ShouldBe((1_200_000m, 0m, 1_200_000m, 1_200_000m));
        (await Books("?knownOn=2025-06-17")).ShouldBe((1_500_000m, 0m, 1_500_000m, 1_500_000m));
        (await Books("")).ShouldBe((700_000m, 500_000m, 700_000m, 1_200_000m));

        var original = await api.Get<List<DonorStatementLine>>("/api/donors/statement?donor=Norway&asAt=2025-06-30&knownOn=2025-07-01");
        original.ShouldBe([new DonorStatementLine("Norway", fundId, 2025, 0m, 1_500_000m, 500_000m, 1_000_000m, 0m)]);
        var corrected = await api.Get<List<DonorStatementLine>>("/api/donors/statement?donor=Norway&asAt=2025-06-30&knownOn=2025-07-11");
        corrected.ShouldBe([new DonorStatementLine("Norway", fundId, 2025, 0m, 1_200_000m, 500_000m, 700_000m, 0m)]);
        (await api.Get<List<DonorStatementLine>>("/api/donors/statement?donor=Norway")).ShouldBe(corrected);

        // The correction is a reversal and a re-entry, each saying who, when, why and what it corrects.
        await using var session = app.Store.QuerySession();
        var history = await session.Events.FetchStreamAsync(signed.Id);
        history.Select(x => x.EventType.Name).ShouldBe(
            ["AgreementSigned", "DepositReceived", "AgreementCorrectionRequested", "AgreementReversed", "AgreementSigned"]);
        var (first, reversal, reentry) = (history[0], history[3], history[4]);
        var reversed = (AgreementReversed)reversal.Data;
        (reversed.ReversesEventId, reversed.ReversesSequence, reversed.Reason, reversed.RequestedBy, reversed.ConfirmedBy, reversed.SignedOn)
            .ShouldBe((first.Id, first.Sequence, reason, "fo-ada", "fo-ben", new NodaTime.LocalDate(2025, 6, 15)));
        ((AgreementSigned)reentry.Data).CorrectsEventId.ShouldBe(first.Id);
        foreach (var e in new[] { reversal, reentry })
        {
            // Marten reads a date-like header back as a DateTime.
            (e.UserName, e.Timestamp, $"{e.Headers!["businessDate"]:yyyy-MM-dd}", e.Headers["hash"].ToString()!.Length)
                .ShouldBe(("fo-ben", new DateTimeOffset(2025, 7, 10, 9, 0, 0, TimeSpan.Zero), "2025-06-15", 64));
        }

        var request = history[2];
        (request.UserName, request.CorrelationId, request.Headers!["idempotencyKey"].ToString(), request.Headers["roles"].ToString())
            .ShouldBe(("fo-ada", "ticket-4711", "correct-NOR-K", string.Join(",", Funding.Access.Roles.All.Order(StringComparer.Ordinal))));
        request.CausationId.ShouldStartWith($"POST /api/contributions/{signed.Id}/agreement-corrections#");
    }

    [Fact]
    public async Task a_package_as_at_a_date_is_what_had_been_decided_by_then()
    {
        ClockAt(8, 1);
        var fundId = await Fund("KNOWN-PKG");
        await api.Record($"/api/funds/{fundId}/interest", new { amount = Usd(100_000m), earnedOn = "2025-07-31" });
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "KNOWN-GN", country = "GN", electoralProcess = "2025 legislative", origin = "MemberStateRequest", requestedOn = "2025-06-01",
        }, 201);
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2025-06-10", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2025-10-01", endsOn = "2025-10-31", budget = Usd(80_000m) } },
        });
        ClockAt(8, 5);
        await api.Record($"/api/packages/{package.PackageId}/approval", new { approvedOn = "2025-07-01", phases = new[] { new { phase = "Polling", budget = Usd(80_000m) } } });
        ClockAt(8, 20);
        await api.Record($"/api/packages/{package.PackageId}/allocations", new { fundId, phase = "Polling", amount = Usd(50_000m), allocatedOn = "2025-08-20" });

        async Task<(FundingStatus, decimal, decimal)> Status(string query)
        {
            var status = await api.Get<PackageStatusReport>($"/api/packages/{package.PackageId}/status{query}");
            return (status.Status, status.Approved, status.Allocated);
        }

        (await Status("?asAt=2025-06-30")).ShouldBe((FundingStatus.NotYetApproved, 0m, 0m));
        (await Status("?asAt=2025-07-31&knownOn=2025-08-01")).ShouldBe((FundingStatus.NotYetApproved, 0m, 0m));
        (await Status("?asAt=2025-07-31&knownOn=2025-08-05")).ShouldBe((FundingStatus.ApprovedButUnfunded, 80_000m, 0m));
        (await Status("?asAt=2025-08-31")).ShouldBe((FundingStatus.PartiallyFunded, 80_000m, 50_000m));
        (await api.Get<List<PackageStatusReport>>("/api/packages/status?country=GN&asAt=2025-07-31&knownOn=2025-08-05"))
            .Select(x => (x.Code, x.Status, string.Join(",", x.Flags))).ShouldBe([("KNOWN-GN", FundingStatus.ApprovedButUnfunded, "Unfunded")]);
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/packages/{package.PackageId}/status?asAt=2025-05-31");
            s.StatusCodeShouldBe(404);
        });
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{fundId}/statement?knownOn=yesterday");
            s.StatusCodeShouldBe(400);
            s.ContentShouldContain("knownOn");
        });
    }
}

/// <summary>A clock the test sets, forwards or back (each test of a class tells its own story in time).</summary>
public sealed class MovableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
