using System.Security.Claims;
using System.Text.Json;
using Alba;
using Funding.Access;
using Funding.Audit.Viewing;
using Funding.Contributions;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Audit;

/// <summary>
/// One small ledger recorded over HTTP by named users, then only read: two funds, a contribution pledged, signed and
/// paid, an agreement corrected under four eyes, a package approved and funded.
/// </summary>
public sealed class AuditViewApp : FundingApp
{
    public const string Admin = "ada";
    public const string Finance = "fin";
    public const string SecondFinance = "fred";
    public const string Focal = "fay";
    public const string Approver = "gus";
    public const string CorrectionReason = "The countersigned copy says USD 4,000";

    public Guid FundId { get; private set; }
    public Guid OtherFundId { get; private set; }
    public Guid PackageId { get; private set; }
    public Guid PaidContributionId { get; } = ContributionIds.For("AV-C1");
    public Guid CorrectedContributionId { get; } = ContributionIds.For("AV-C2");
    public Guid OtherContributionId { get; } = ContributionIds.For("AV-C9");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FundId = (await Send("/api/funds", Admin, [Roles.Administrator], new
        {
            code = "AV-FUND", name = "Audited fund", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        }, 201)).ReadAsJson<Funding.Funds.Establishing.FundCreated>()!.FundId;
        OtherFundId = (await Send("/api/funds", Admin, [Roles.Administrator, Roles.Auditor], new
        {
            code = "AV-OTHER", name = "Another fund", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-03",
        }, 201)).ReadAsJson<Funding.Funds.Establishing.FundCreated>()!.FundId;

        await Send("/api/contributions/pledges", Finance, [Roles.FinanceOfficer],
            new { reference = "AV-C1", fundId = FundId, donor = "Norway", amount = Usd(10_000m), pledgedOn = "2024-02-01" }, 201,
            idempotencyKey: "av-pledge", correlationId: "av-corr-pledge");
        await Send("/api/contributions/agreements", Finance, [Roles.FinanceOfficer],
            new { reference = "AV-C1", fundId = FundId, donor = "Norway", amount = Usd(10_000m), signedOn = "2024-03-05" }, 201);
        await Send("/api/contributions/deposits", Finance, [Roles.FinanceOfficer],
            new { reference = "AV-C1", fundId = FundId, donor = "Norway", amount = Usd(10_000m), valueDate = "2024-04-10", transactionReference = "TX-AV-C1" }, 201,
            idempotencyKey: "av-deposit", correlationId: "av-corr-deposit");
        await Send("/api/contributions/deposits", Finance, [Roles.FinanceOfficer],
            new { reference = "AV-C9", fundId = OtherFundId, donor = "Sweden", amount = Usd(500m), valueDate = "2024-04-11", transactionReference = "TX-AV-C9" }, 201);

        await Send("/api/contributions/agreements", Finance, [Roles.FinanceOfficer],
            new { reference = "AV-C2", fundId = FundId, donor = "Denmark", amount = Usd(5_000m), signedOn = "2024-05-01" }, 201);
        await Send($"/api/contributions/{CorrectedContributionId}/agreement-corrections", Finance, [Roles.FinanceOfficer],
            new { amount = Usd(4_000m), reason = CorrectionReason }, 200);
        await Send($"/api/contributions/{CorrectedContributionId}/agreement-corrections/confirmation", SecondFinance, [Roles.FinanceOfficer],
            new { }, 200);

        PackageId = (await Send("/api/packages", Focal, [Roles.FocalPoint], new
        {
            code = "AV-PKG", country = "NP", electoralProcess = "2024 by-elections", origin = "MemberStateRequest", requestedOn = "2024-02-15",
        }, 201)).ReadAsJson<Funding.Packages.Requesting.PackageCreated>()!.PackageId;
        await Send($"/api/packages/{PackageId}/needs-assessment", Focal, [Roles.FocalPoint], new
        {
            assessedOn = "2024-03-01", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-09-01", endsOn = "2024-12-31", budget = Usd(8_000m) } },
        }, 200);
        await Send($"/api/packages/{PackageId}/approval", Approver, [Roles.FocalPoint],
            new { approvedOn = "2024-04-15", phases = new[] { new { phase = "Polling", budget = Usd(8_000m) } } }, 200);
        await Send($"/api/packages/{PackageId}/allocations", Finance, [Roles.FinanceOfficer],
            new { fundId = FundId, phase = "Polling", amount = Usd(5_000m), allocatedOn = "2024-06-01" }, 200);
    }

    async Task<IScenarioResult> Send(
        string url, string user, string[] roles, object body, int expectedStatus, string? idempotencyKey = null, string? correlationId = null) =>
        await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.RemoveClaim("sub");
            s.WithClaim(new Claim("sub", user));
            s.RemoveClaim("role");
            foreach (var role in roles) s.WithClaim(new Claim("role", role));
            if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
            if (correlationId is not null) s.WithRequestHeader("X-Correlation-Id", correlationId);
            s.StatusCodeShouldBe(expectedStatus);
        });
}

public class AuditViewTests(AuditViewApp app) : IClassFixture<AuditViewApp>
{
    const string FinanceOfficer = Roles.FinanceOfficer;

    /// <summary>Every event of the ledger, in the order it was recorded (a deposit's fee, on the fund's stream, comes just after it).</summary>
    static readonly string[] WholeLog =
    [
        "FundEstablished", "FundEstablished",
        "PledgeRecorded", "AgreementSigned", "DepositReceived", "AdministrativeAgentFeeCharged", "DepositReceived", "AdministrativeAgentFeeCharged",
        "AgreementSigned", "AgreementCorrectionRequested", "AgreementReversed", "AgreementSigned",
        "PackageRequested", "NeedsAssessed", "PackageApproved", "FundsAllocated",
    ];

    async Task<(List<AuditedEvent> Events, string Total)> Search(string query)
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/api/audit/events" + query));
        return (result.ReadAsJson<List<AuditedEvent>>()!, result.Context.Response.Headers["X-Total-Count"].ToString());
    }

    async Task<List<AuditedEvent>> History(Guid streamId) =>
        (await app.Host.Scenario(s => s.Get.Url($"/api/audit/streams/{streamId}/events"))).ReadAsJson<List<AuditedEvent>>()!;

    async Task ShouldFindNothing(string query, int total)
    {
        var found = await Search(query);
        (found.Events.Count, found.Total).ShouldBe((0, total.ToString()), query);
    }

    static void ShouldBeAHash(string? hash) => hash.ShouldNotBeNull().ShouldMatch("^[0-9a-f]{64}$");

    [Fact]
    public async Task a_contributions_history_comes_in_version_order_with_who_when_and_why()
    {
        var history = await History(app.PaidContributionId);

        history.Select(x => (x.Type, x.Version, x.BusinessDate, x.User, x.Roles, x.IdempotencyKey)).ShouldBe([
            ("PledgeRecorded", 1L, "2024-02-01", AuditViewApp.Finance, FinanceOfficer, "av-pledge"),
            ("AgreementSigned", 2L, "2024-03-05", AuditViewApp.Finance, FinanceOfficer, null),
            ("DepositReceived", 3L, "2024-04-10", AuditViewApp.Finance, FinanceOfficer, "av-deposit"),
        ]);
        history.ShouldAllBe(x => x.StreamId == app.PaidContributionId && x.Reason == null && x.Corrects == null);
        history.Select(x => x.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        history.Select(x => x.EventId).Distinct().Count().ShouldBe(3);
        (history[0].CorrelationId, history[2].CorrelationId).ShouldBe(("av-corr-pledge", "av-corr-deposit"));
        history[1].CorrelationId.ShouldNotBeNullOrWhiteSpace();
        history.Select(x => x.CausationId!.Split('#')[0]).ShouldBe([
            "POST /api/contributions/pledges", "POST /api/contributions/agreements", "POST /api/contributions/deposits",
        ]);
        foreach (var e in history)
        {
            ShouldBeAHash(e.Hash);
            e.RecordedAt.Offset.ShouldBe(TimeSpan.Zero);
            e.RecordedAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
            e.Data.GetProperty("reference").GetString().ShouldBe("AV-C1");
            e.Data.GetProperty("fundId").GetGuid().ShouldBe(app.FundId);
            e.Data.GetProperty("amount").GetProperty("amount").GetDecimal().ShouldBe(10_000m);
        }

        history.Select(x => x.Hash).Distinct().Count().ShouldBe(3);
        history[2].Data.GetProperty("valueDate").GetString().ShouldBe("2024-04-10");
    }

    [Fact]
    public async Task a_correction_carries_its_reason_and_the_event_it_corrects()
    {
        var history = await History(app.CorrectedContributionId);
        var original = history[0].EventId;

        history.Select(x => (x.Type, x.User, x.BusinessDate, x.Reason, x.Corrects)).ShouldBe([
            ("AgreementSigned", AuditViewApp.Finance, "2024-05-01", null, null),
            ("AgreementCorrectionRequested", AuditViewApp.Finance, "2024-05-01", AuditViewApp.CorrectionReason, original),
            ("AgreementReversed", AuditViewApp.SecondFinance, "2024-05-01", AuditViewApp.CorrectionReason, original),
            ("AgreementSigned", AuditViewApp.SecondFinance, "2024-05-01", null, original),
        ]);
        history[3].Data.GetProperty("amount").GetProperty("amount").GetDecimal().ShouldBe(4_000m);
        // Reversal and re-entry are one transaction: one request, one correlation.
        history[3].CorrelationId.ShouldBe(history[2].CorrelationId);
    }

    [Fact]
    public async Task an_unknown_stream_is_not_found()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/audit/streams/{Guid.NewGuid()}/events");
            s.StatusCodeShouldBe(404);
        });

        var problem = result.ReadAsJson<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("No such stream");
        problem.GetProperty("errors").GetProperty("streamId")[0].GetString().ShouldBe("Unknown stream.");
    }

    [Fact]
    public async Task the_whole_log_comes_in_sequence_order()
    {
        var (events, total) = await Search("");

        events.Select(x => x.Type).ShouldBe(WholeLog);
        total.ShouldBe("16");
        events.Select(x => x.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        events.ShouldAllBe(x => x.Hash != null && x.User != null);
        foreach (var e in events) ShouldBeAHash(e.Hash);
    }

    [Theory]
    [InlineData("DepositReceived")]
    [InlineData("deposit_received")]
    public async Task events_are_found_by_type_by_name_or_by_alias(string type)
    {
        var (events, total) = await Search($"?type={type}");

        events.Select(x => (x.Type, x.StreamId, x.BusinessDate)).ShouldBe([
            ("DepositReceived", app.PaidContributionId, "2024-04-10"),
            ("DepositReceived", app.OtherContributionId, "2024-04-11"),
        ]);
        total.ShouldBe("2");
    }

    [Fact]
    public async Task events_are_found_by_user()
    {
        (await Search($"?user={AuditViewApp.Admin}")).Events.Select(x => (x.Type, x.StreamId, x.Roles)).ShouldBe([
            ("FundEstablished", app.FundId, Roles.Administrator),
            ("FundEstablished", app.OtherFundId, "Administrator,Auditor"),
        ]);
        (await Search($"?user={AuditViewApp.SecondFinance}")).Events.Select(x => x.Type).ShouldBe(["AgreementReversed", "AgreementSigned"]);
        (await Search($"?user={AuditViewApp.Approver}")).Events.Select(x => (x.Type, x.StreamId)).ShouldBe([("PackageApproved", app.PackageId)]);
        await ShouldFindNothing("?user=nobody", total: 0);
    }

    [Fact]
    public async Task a_funds_events_include_those_on_other_streams_that_name_it()
    {
        var (events, total) = await Search($"?fundId={app.FundId}");

        events.Select(x => (x.Type, x.StreamId)).ShouldBe([
            ("FundEstablished", app.FundId),
            ("PledgeRecorded", app.PaidContributionId),
            ("AgreementSigned", app.PaidContributionId),
            ("DepositReceived", app.PaidContributionId),
            ("AdministrativeAgentFeeCharged", app.FundId),
            ("AgreementSigned", app.CorrectedContributionId),
            ("AgreementCorrectionRequested", app.CorrectedContributionId),
            ("AgreementReversed", app.CorrectedContributionId),
            ("AgreementSigned", app.CorrectedContributionId),
            ("FundsAllocated", app.FundId),
        ]);
        total.ShouldBe("10");
    }

    [Fact]
    public async Task a_packages_events_include_the_fund_movements_for_it()
    {
        var (events, total) = await Search($"?packageId={app.PackageId}");

        events.Select(x => (x.Type, x.StreamId, x.User, x.BusinessDate)).ShouldBe([
            ("PackageRequested", app.PackageId, AuditViewApp.Focal, "2024-02-15"),
            ("NeedsAssessed", app.PackageId, AuditViewApp.Focal, "2024-03-01"),
            ("PackageApproved", app.PackageId, AuditViewApp.Approver, "2024-04-15"),
            ("FundsAllocated", app.FundId, AuditViewApp.Finance, "2024-06-01"),
        ]);
        total.ShouldBe("4");
        events[3].Data.GetProperty("packageId").GetGuid().ShouldBe(app.PackageId);
    }

    [Fact]
    public async Task events_are_found_by_business_date_both_ends_included()
    {
        var (events, total) = await Search("?from=2024-03-01&to=2024-04-10");

        events.Select(x => (x.Type, x.BusinessDate)).ShouldBe([
            ("AgreementSigned", "2024-03-05"),
            ("DepositReceived", "2024-04-10"),
            ("AdministrativeAgentFeeCharged", "2024-04-10"),
            ("NeedsAssessed", "2024-03-01"),
        ]);
        total.ShouldBe("4");
        (await Search("?from=2024-05-01")).Events.Select(x => x.Type).ShouldBe([
            "AgreementSigned", "AgreementCorrectionRequested", "AgreementReversed", "AgreementSigned", "FundsAllocated",
        ]);
        (await Search("?to=2024-01-02")).Events.Select(x => (x.Type, x.StreamId)).ShouldBe([("FundEstablished", app.FundId)]);
    }

    [Fact]
    public async Task filters_combine()
    {
        var (events, total) = await Search($"?fundId={app.FundId}&user={AuditViewApp.Finance}&from=2024-04-01&to=2024-12-31&type=AgreementSigned");

        events.Select(x => (x.Type, x.StreamId, x.BusinessDate)).ShouldBe([("AgreementSigned", app.CorrectedContributionId, "2024-05-01")]);
        total.ShouldBe("1");
    }

    [Fact]
    public async Task events_are_found_by_the_utc_day_they_were_recorded()
    {
        var (all, _) = await Search("");
        var firstDay = DateOnly.FromDateTime(all[0].RecordedAt.UtcDateTime);
        var day = firstDay.ToString("yyyy-MM-dd");

        // The run may cross midnight (UTC): the expected events are those recorded on the first event's day.
        var (onThatDay, total) = await Search($"?recordedFrom={day}&recordedTo={day}");
        onThatDay.Select(x => x.Sequence).ShouldBe(all.Where(x => DateOnly.FromDateTime(x.RecordedAt.UtcDateTime) == firstDay).Select(x => x.Sequence));
        total.ShouldBe(onThatDay.Count.ToString());
        (await Search($"?recordedFrom={day}")).Events.Select(x => x.Sequence).ShouldBe(all.Select(x => x.Sequence));
        await ShouldFindNothing($"?recordedTo={firstDay.AddDays(-1):yyyy-MM-dd}", total: 0);
        await ShouldFindNothing($"?recordedFrom={firstDay.AddDays(2):yyyy-MM-dd}", total: 0);
    }

    [Fact]
    public async Task the_log_comes_in_pages_with_the_total_in_a_header()
    {
        var pages = new List<List<AuditedEvent>>();
        for (var page = 1; page <= 4; page++)
        {
            var (events, total) = await Search($"?page={page}&pageSize=5");
            total.ShouldBe("16");
            pages.Add(events);
        }

        pages.Select(x => x.Count).ShouldBe([5, 5, 5, 1]);
        pages.SelectMany(x => x).Select(x => x.Type).ShouldBe(WholeLog);
        await ShouldFindNothing("?page=5&pageSize=5", total: 16);
        (await Search($"?fundId={app.FundId}&page=2&pageSize=4")).Events.Select(x => x.Type)
            .ShouldBe(["AdministrativeAgentFeeCharged", "AgreementSigned", "AgreementCorrectionRequested", "AgreementReversed"]);
    }

    [Theory]
    [InlineData("?from=2024-13-01", "from")]
    [InlineData("?to=yesterday", "to")]
    [InlineData("?recordedFrom=01/02/2024", "recordedFrom")]
    [InlineData("?recordedTo=2024-02-30", "recordedTo")]
    [InlineData("?from=2024-05-01&to=2024-04-30", "to")]
    [InlineData("?recordedFrom=2024-05-01&recordedTo=2024-04-30", "recordedTo")]
    public async Task a_date_that_is_not_a_date_is_a_bad_request_naming_the_field(string query, string field)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/audit/events" + query);
            s.StatusCodeShouldBe(400);
        });

        var errors = result.ReadAsJson<JsonElement>().GetProperty("errors");
        errors.EnumerateObject().Select(x => x.Name).ShouldBe([field]);
    }

    [Theory]
    [InlineData("?fundId=not-a-guid")]
    [InlineData("?packageId=123")]
    [InlineData("?pageSize=501")]
    [InlineData("?page=0")]
    public async Task a_bad_id_or_page_is_a_bad_request(string query)
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/audit/events" + query);
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task every_role_may_read_the_log()
    {
        foreach (var role in Roles.All)
        {
            foreach (var url in new[] { $"/api/audit/streams/{app.PackageId}/events", $"/api/audit/events?packageId={app.PackageId}" })
            {
                var result = await app.Host.Scenario(s =>
                {
                    s.Get.Url(url);
                    s.RemoveClaim("role");
                    s.WithClaim(new Claim("role", role));
                });
                result.ReadAsJson<List<AuditedEvent>>()!.Select(x => x.Type).Take(3).ShouldBe(["PackageRequested", "NeedsAssessed", "PackageApproved"], $"{role} on {url}");
            }
        }
    }
}
