using Funding.Tests.Infrastructure;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Scenarios;

/// <summary>A run through every kind of money event, used by the tests that check the read models as a whole.</summary>
public static class LedgerWalkthrough
{
    public sealed record Ids(Guid FundId, Guid PackageId, Guid UnfundedPackageId);

    public static async Task<Ids> Run(LedgerApi api, string prefix)
    {
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = $"{prefix}-TF", name = "Walkthrough trust fund", kind = "TrustFund", administrativeAgentFeePercent = 1,
            defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
        }, 201);
        var fundId = fund.FundId;

        await api.Post<object>("/api/rates", new { effectiveOn = "2024-05-01", kind = "Monthly", reference = "UNORE 2024-05",
            rates = new[] { new { currency = "NOK", unitsPerUsd = 10.50m }, new { currency = "SEK", unitsPerUsd = 10.40m } } });
        await api.Post<object>("/api/rates", new { effectiveOn = "2024-09-01", kind = "Monthly", reference = "UNORE 2024-09",
            rates = new[] { new { currency = "NOK", unitsPerUsd = 10.00m }, new { currency = "SEK", unitsPerUsd = 10.40m } } });

        await api.Record("/api/contributions/pledges", new { reference = $"{prefix}-NOR", fundId, donor = "Norway", amount = Money(20_000_000m, "NOK"), pledgedOn = "2024-05-02" }, 201);
        await api.Record("/api/contributions/agreements", new
        {
            reference = $"{prefix}-NOR", fundId, donor = "Norway", amount = Money(15_000_000m, "NOK"), signedOn = "2024-05-20",
            instalments = new[] { new { dueOn = "2024-09-01", amount = Money(10_000_000m, "NOK") }, new { dueOn = "2025-03-01", amount = Money(5_000_000m, "NOK") } },
        }, 201);
        await api.Record("/api/contributions/deposits", new { reference = $"{prefix}-NOR", fundId, donor = "Norway", amount = Money(10_000_000m, "NOK"), valueDate = "2024-09-03", transactionReference = $"TX-{prefix}-NOR" }, 201);
        await api.Record("/api/contributions/deposits", new { reference = $"{prefix}-SWE", fundId, donor = "Sweden", amount = Money(2_000_000m, "SEK"), valueDate = "2024-06-11", transactionReference = $"TX-{prefix}-SWE" }, 201);
        await api.Record($"/api/funds/{fundId}/interest", new { amount = Usd(3_250.75m), earnedOn = "2024-09-30" });

        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = $"{prefix}-NP", country = "NP", electoralProcess = "2024 by-elections", origin = "MemberStateRequest", requestedOn = "2024-03-01",
        }, 201);
        var packageId = package.PackageId;
        await api.Record($"/api/packages/{packageId}/needs-assessment", new
        {
            assessedOn = "2024-04-01", implementingOrganisations = new[] { "UNDP", "UN Women" },
            phases = new[]
            {
                new { phase = "VoterRegistration", startsOn = "2024-10-01", endsOn = "2024-12-31", budget = Usd(600_000m) },
                new { phase = "Polling", startsOn = "2025-02-01", endsOn = "2025-03-31", budget = Usd(900_000m) },
            },
        });
        await api.Record($"/api/packages/{packageId}/approval", new
        {
            approvedOn = "2024-06-01",
            phases = new[] { new { phase = "VoterRegistration", budget = Usd(600_000m) }, new { phase = "Polling", budget = Usd(850_000m) } },
        });
        await api.Record($"/api/packages/{packageId}/allocations", new { fundId, phase = "VoterRegistration", amount = Usd(600_000m), allocatedOn = "2024-09-10" });
        await api.Record($"/api/packages/{packageId}/transfers", new { fundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", programmable = Usd(500_000m), transferredOn = "2024-09-15" });
        await api.Record($"/api/packages/{packageId}/expenditure", new { fundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", basis = "Interim", cumulativeToDate = Usd(400_000m), asOf = "2024-12-31" });
        await api.Record($"/api/packages/{packageId}/expenditure", new { fundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", basis = "Certified", cumulativeToDate = Usd(380_000m), asOf = "2024-12-31" });
        await api.Record($"/api/packages/{packageId}/refunds", new { fundId, phase = "VoterRegistration", implementingOrganisation = "UNDP", amount = Usd(20_000m), receivedOn = "2025-01-20" });

        var unfunded = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = $"{prefix}-CF", country = "CF", electoralProcess = "Presidential elections", electionDay = "2025-06-01",
            origin = "SecurityCouncilMandate", mandate = "2217 (2015)", requestedOn = "2024-11-01",
        }, 201);
        await api.Record($"/api/packages/{unfunded.PackageId}/needs-assessment", new
        {
            assessedOn = "2024-11-15", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Procurement", startsOn = "2025-02-01", endsOn = "2025-04-30", budget = Usd(1_200_000m) } },
        });
        await api.Record($"/api/packages/{unfunded.PackageId}/approval", new
        {
            approvedOn = "2024-12-01", phases = new[] { new { phase = "Procurement", budget = Usd(1_200_000m) } },
        });

        return new Ids(fundId, packageId, unfunded.PackageId);
    }
}
