using Alba;
using Funding.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Funding.Tests.Contributions;

public class ContributionInputTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task bad_money_is_refused_field_by_field_and_nothing_is_written()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                reference = "BAD-1", fundId = Guid.NewGuid(), donor = "Donor",
                amount = new { amount = 100.123m, currency = "eur" }, rate = 0m, valueDate = "2024-01-01", transactionReference = "TX-BAD-1",
            }).ToUrl("/api/contributions/deposits");
            s.StatusCodeShouldBe(400);
        });

        var problem = result.ReadAsJson<ValidationProblemDetails>()!;
        problem.Errors.Keys.Order().ShouldBe(["amount.currency", "rate", "rateOverrideReason"]);

        var tooPrecise = await app.Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                reference = "BAD-2", fundId = Guid.NewGuid(), donor = "Donor",
                amount = new { amount = 100.5m, currency = "JPY" }, rate = -1m, valueDate = "2024-01-01", transactionReference = "TX-BAD-2",
            }).ToUrl("/api/contributions/deposits");
            s.StatusCodeShouldBe(400);
        });
        tooPrecise.ReadAsJson<ValidationProblemDetails>()!.Errors.OrderBy(x => x.Key).Select(x => (x.Key, string.Join(" | ", x.Value))).ShouldBe([
            ("amount.amount", "JPY amounts have at most 0 decimal places; 100.5 has more."),
            ("rate", "The rate must be greater than zero and at most 1,000,000,000."),
            ("rateOverrideReason", "Overriding the UN operational rate needs a reason (e.g. the rate in the signed agreement)."),
        ]);

        await using var session = app.Store.QuerySession();
        (await Marten.QueryableExtensions.CountAsync(session.Events.QueryAllRawEvents())).ShouldBe(0);
    }

    [Fact]
    public async Task a_deposit_to_an_unknown_fund_is_not_found()
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                reference = "NF-1", fundId = Guid.NewGuid(), donor = "Donor", amount = new { amount = 100m, currency = "USD" }, valueDate = "2024-01-01", transactionReference = "TX-NF-1",
            }).ToUrl("/api/contributions/deposits");
            s.StatusCodeShouldBe(404);
        });
    }
}
