using System.Text.Json;
using Alba;
using Funding.Audit.Viewing;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;

namespace Funding.Tests.Audit;

/// <summary>The event history as CSV: the documented columns, every matching event once, in sequence order.</summary>
public class AuditCsvTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    [Fact]
    public async Task a_fund_s_history_comes_as_csv_with_the_documented_columns()
    {
        var api = new LedgerApi(ledger.Host);
        var events = await api.Get<List<AuditedEvent>>($"/api/audit/events?fundId={ledger.Ids.FundId}&pageSize=500");

        var csv = await ledger.Host.Scenario(s =>
        {
            s.Get.Url($"/api/audit/events.csv?fundId={ledger.Ids.FundId}");
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("text/csv");
        });
        var lines = csv.ReadAsText().TrimEnd().Split('\n').Select(x => x.TrimEnd('\r')).ToList();

        lines[0].ShouldBe("Sequence,EventId,StreamId,Version,Type,BusinessDate,RecordedAt,User,Roles,CorrelationId,CausationId,IdempotencyKey,Hash,Reason,Corrects,Data");
        lines.Count.ShouldBe(events.Count + 1);
        lines.Skip(1).Select(x => long.Parse(x.Split(',')[0])).ShouldBe(events.Select(x => x.Sequence));
        var interest = events.Single(x => x.Type == "InterestEarned");
        var row = lines.Single(x => x.StartsWith($"{interest.Sequence},", StringComparison.Ordinal));
        row.ShouldStartWith($"{interest.Sequence},{interest.EventId},{interest.StreamId},{interest.Version},InterestEarned,2024-09-30,");
        row.ShouldContain($",{interest.Hash},");
        // The data column is the event's JSON as stored, quoted for CSV.
        var data = row[(row.LastIndexOf(",\"{", StringComparison.Ordinal) + 2)..^1].Replace("\"\"", "\"");
        System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(data), System.Text.Json.Nodes.JsonNode.Parse(interest.Data.GetRawText())).ShouldBeTrue(data);
    }

    [Fact]
    public async Task a_bad_date_is_refused_naming_the_field()
    {
        await ledger.Host.Scenario(s =>
        {
            s.Get.Url("/api/audit/events.csv?from=2024-13-01");
            s.StatusCodeShouldBe(400);
            s.ContentShouldContain("\"from\"");
        });
    }
}
