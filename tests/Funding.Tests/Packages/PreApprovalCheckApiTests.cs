using Alba;
using System.Text.Json;
using Funding.Packages.Approving;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Packages;

/// <summary>The focal point's check over HTTP, and the approval that answers (and records) the same figures.</summary>
public class PreApprovalCheckApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    readonly LedgerApi api = new(app.Host);

    [Fact]
    public async Task the_check_answers_before_approval_and_the_approval_keeps_what_was_seen()
    {
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "PAC-TF", name = "Pre-approval trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            establishedOn = "2025-01-02",
        }, 201);
        await api.Record("/api/contributions/deposits", new { reference = "PAC-1", fundId = fund.FundId, donor = "Sweden", amount = Usd(500_000m), valueDate = "2025-01-10", transactionReference = "TX-PAC-1" }, 201);
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "PAC-CF", country = "CF", electoralProcess = "2025 general elections", electionDay = "2025-12-27",
            origin = "SecurityCouncilMandate", mandate = "2759 (2024)", requestedOn = "2025-02-01",
        }, 201);
        var url = $"/api/packages/{package.PackageId}/pre-approval-check";
        (await Refused(url)).ShouldBe("needs-assessment-required");

        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2025-03-01", implementingOrganisations = new[] { "UNDP" },
            phases = new[]
            {
                new { phase = "Procurement", startsOn = "2025-04-01", endsOn = "2025-06-30", budget = Usd(300_000m) },
                new { phase = "Polling", startsOn = "2025-12-01", endsOn = "2025-12-31", budget = Usd(400_000m) },
            },
        });

        var check = await api.Get<FundingCheck>($"{url}?asOf=2025-03-20");
        (check.Requirement, check.UnallocatedCash, check.ReceivablesOfFunds, check.PledgesToFunds, check.Gap, check.CoveragePercent)
            .ShouldBe((700_000m, 500_000m, 0m, 0m, 200_000m, 71.4m));
        check.Phases.Select(x => (x.Phase, x.Requirement, x.FundedByCash, x.Gap, x.AtRisk)).ShouldBe([
            (Funding.Packages.ElectoralPhase.Procurement, 300_000m, 300_000m, 0m, false),
            (Funding.Packages.ElectoralPhase.Polling, 400_000m, 200_000m, 200_000m, false),
        ]);
        check.Funds.Select(x => (x.Code, x.UnallocatedCash)).ShouldBe([("PAC-TF", 500_000m)]);
        check.Flags.ShouldBeEmpty();

        var approval = await api.Post<ApprovalRecorded>($"/api/packages/{package.PackageId}/approval", new
        {
            approvedOn = "2025-03-20",
            phases = new[] { new { phase = "Procurement", budget = Usd(300_000m) }, new { phase = "Polling", budget = Usd(400_000m) } },
        });
        JsonSerializer.Serialize(approval.FundingSeen).ShouldBe(JsonSerializer.Serialize(check));
        approval.Events.ShouldBe(["Package Approved"]);

        var history = await api.Get<List<Funding.Audit.Viewing.AuditedEvent>>($"/api/audit/streams/{package.PackageId}/events");
        var recorded = history.Single(x => x.Type == "PackageApproved").Data.GetProperty("fundingSeen");
        (recorded.GetProperty("gap").GetDecimal(), recorded.GetProperty("unallocatedCash").GetDecimal()).ShouldBe((200_000m, 500_000m));

        (await Refused($"{url}?asOf=2025-03-21")).ShouldBe("package-already-decided");
        // Approval allocates nothing: until a finance officer allocates the cash that is there, the package is flagged.
        (await api.Get<PackageStatusReport>($"/api/packages/{package.PackageId}/status?asOf=2025-03-21")).Flags
            .ShouldBe([FundingFlag.Unfunded, FundingFlag.MandatedAndUnfunded, FundingFlag.PhaseAtRisk]);
    }

    [Fact]
    public async Task an_unknown_package_or_a_bad_date_is_answered_plainly()
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/packages/{Guid.NewGuid()}/pre-approval-check");
            s.StatusCodeShouldBe(404);
        });
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/packages/{Guid.NewGuid()}/pre-approval-check?asOf=soon");
            s.StatusCodeShouldBe(400);
            s.ContentShouldContain("asOf");
        });
    }

    async Task<string> Refused(string url)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(422);
        });
        return result.ReadAsJson<JsonElement>().GetProperty("rule").GetString()!;
    }
}
