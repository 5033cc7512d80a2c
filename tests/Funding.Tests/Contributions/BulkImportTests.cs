using System.Globalization;
using System.Text;
using Funding.Funds;
using Funding.Ledger;
using Funding.Importing;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Contributions;

/// <summary>Two ledgers given the same funds, rates and agreements: one imports in bulk, the other appends as Marten ordinarily does.</summary>
public sealed class TwoLedgers : IAsyncLifetime
{
    public FundingApp Bulk { get; } = new();
    public FundingApp Ordinary { get; } = new();

    public async Task InitializeAsync()
    {
        await Bulk.InitializeAsync();
        await Ordinary.InitializeAsync();
        foreach (var app in new[] { Bulk, Ordinary })
        {
            var api = new LedgerApi(app.Host);
            foreach (var code in new[] { "BULK-A", "BULK-B" })
            {
                await api.Post<object>("/api/funds", new
                {
                    code, name = $"Fund {code}", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
                    eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-15",
                }, 201);
            }

            await api.Post<object>("/api/rates", new { effectiveOn = "2024-03-01", kind = "Monthly", reference = "UNORE 2024-03", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.920m } } });
            await api.Post<object>("/api/rates", new { effectiveOn = "2024-04-01", kind = "Monthly", reference = "UNORE 2024-04", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.935m } } });
            // Agreements the file's deposits settle: their streams and snapshots are there before the import.
            for (var i = 0; i < 3; i++)
            {
                await api.Record("/api/contributions/agreements", new
                {
                    reference = $"BULK-AGR-{i}", fundId = FundIds.For(i % 2 == 0 ? "BULK-A" : "BULK-B"), donor = "Norway",
                    amount = Money(100_000m, "EUR"), signedOn = "2024-03-05",
                }, 201);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Bulk.DisposeAsync();
        await Ordinary.DisposeAsync();
    }
}

/// <summary>
/// The bulk import writes what Marten's ordinary append writes: the same read models, document for document, for the
/// same events; and the hash chain verifies after it.
/// </summary>
public class BulkImportTests(TwoLedgers ledgers) : IClassFixture<TwoLedgers>
{
    static readonly ImportActor Actor = new("bulk-fin", "bulk-correlation", "bulk import test", "FinanceOfficer");

    [Fact]
    public async Task every_read_model_document_is_what_the_ordinary_append_of_the_same_events_makes()
    {
        // Parts of 7 rows: the funds' documents and the agreements' contributions are written by several parts.
        var options = new ImportOptions(false, PartRows: 7);
        var pledges = new StringBuilder("reference,fund_code,donor,amount,currency,pledged_on\n");
        for (var i = 0; i < 20; i++) pledges.Append(CultureInfo.InvariantCulture, $"BULK-PL-{i},{(i % 3 == 0 ? "BULK-B" : "BULK-A")},Sweden,{1000 + i}.50,USD,2024-02-{1 + i % 28:00}\n");
        var deposits = new StringBuilder("reference,fund_code,donor,amount,currency,value_date,transaction_reference\n");
        for (var i = 0; i < 40; i++)
        {
            // Every fifth row settles one of the agreements, in its fund and currency; the rest start contributions of their own.
            var (reference, fund, currency) = i % 5 == 0
                ? ($"BULK-AGR-{i / 5 % 3}", i / 5 % 3 % 2 == 0 ? "BULK-A" : "BULK-B", "EUR")
                : ($"BULK-DEP-{i}", i % 2 == 0 ? "BULK-A" : "BULK-B", i % 3 == 0 ? "EUR" : "USD");
            deposits.Append(CultureInfo.InvariantCulture, $"{reference},{fund},Norway,{2000 + i * 10}.25,{currency},2024-04-{1 + i % 28:00},BULK-TX-{i}\n");
        }

        foreach (var (kind, csv) in new[] { (ImportKind.Pledges, pledges.ToString()), (ImportKind.Deposits, deposits.ToString()) })
        {
            var file = Encoding.UTF8.GetBytes(csv);
            var result = await LedgerImport.RunAsync(ledgers.Bulk.Store, SystemClock.Instance, kind, file, Actor, options, null, CancellationToken.None);
            result.Outcome.ShouldBe(ImportOutcome.Imported, result.Message);
            await AppendOrdinarilyAsync(await EventsOfAsync(ledgers.Bulk, LedgerImport.Digest(file)));
        }

        var fed = new List<string>();
        foreach (var document in LedgerProjections.All.Where(x => x.Money).Select(x => x.Document))
        {
            var bulk = await RowsAsync(ledgers.Bulk, document);
            bulk.ShouldBe(await RowsAsync(ledgers.Ordinary, document), document.Name);
            if (bulk.Count > 0) fed.Add(document.Name);
        }

        fed.ShouldBe(["Fund", "Contribution", "OperationalRates", "TrialBalance", "FundStatement", "RecordedDeposit"]);

        (await StreamsAsync(ledgers.Bulk)).ShouldBe(await StreamsAsync(ledgers.Ordinary));
    }

    /// <summary>The events an import wrote, in log order, with everything an append is given.</summary>
    static async Task<List<IEvent>> EventsOfAsync(FundingApp app, string digest)
    {
        await using var session = app.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(x => x.Sequence).ToListAsync();
        return events.Where(x => x.Headers?.GetValueOrDefault(LedgerImport.ImportHeader)?.ToString() == digest).ToList();
    }

    /// <summary>
    /// The same events appended to the other ledger as the import appended them before it wrote in bulk: one session,
    /// each stream started or appended to at the version it was at, inline projections run by Marten.
    /// </summary>
    async Task AppendOrdinarilyAsync(IReadOnlyList<IEvent> events)
    {
        await using var session = ledgers.Ordinary.Store.LightweightSession();
        session.LastModifiedBy = events[0].UserName;
        session.CorrelationId = events[0].CorrelationId;
        session.CausationId = events[0].CausationId;
        foreach (var stream in events.GroupBy(x => x.StreamId))
        {
            var data = stream.Select(x => x.Data).ToArray();
            var first = stream.First();
            var action = first.Version == 1
                ? session.Events.StartStream(LedgerEvents.StreamOf(first.EventType), stream.Key, data)
                : session.Events.Append(stream.Key, stream.Last().Version, data);
            foreach (var (appended, original) in action.Events.Zip(stream))
            {
                appended.Id = original.Id;
                foreach (var (key, value) in original.Headers!.Where(x => x.Key != "hash")) appended.SetHeader(key, value.ToString()!);
            }
        }

        await session.SaveChangesAsync();
    }

    static async Task<List<string>> RowsAsync(FundingApp app, Type document)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select id::text || ' ' || data::text || ' ' || mt_version || ' ' || mt_dotnet_type from {app.Store.Options.Schema.For(document)} order by id", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    static async Task<List<string>> StreamsAsync(FundingApp app)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id || ' ' || type || ' ' || version from funding.mt_streams order by id", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}

/// <summary>The hash chain verifies after a bulk import written in many parts.</summary>
public class BulkImportChainTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task audit_verify_passes_after_a_bulk_import_of_two_thousand_rows_in_parts()
    {
        var api = new LedgerApi(app.Host);
        await api.Post<object>("/api/rates", new { effectiveOn = "2024-04-01", kind = "Monthly", reference = "UNORE 2024-04", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.935m } } });
        foreach (var code in new[] { "VERIFY-A", "VERIFY-B" })
        {
            await api.Post<object>("/api/funds", new
            {
                code, name = $"Fund {code}", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
                eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-15",
            }, 201);
        }

        var csv = new StringBuilder("reference,fund_code,donor,amount,currency,value_date,transaction_reference\n");
        for (var i = 0; i < 2_000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"VERIFY-{i:0000},{(i % 2 == 0 ? "VERIFY-A" : "VERIFY-B")},Donor {i % 7},{100 + i}.{i % 100:00},{(i % 2 == 0 ? "EUR" : "USD")},2024-04-{1 + i % 28:00},VERIFY-TX-{i}\n");

        var result = await LedgerImport.RunAsync(
            app.Store, SystemClock.Instance, ImportKind.Deposits, Encoding.UTF8.GetBytes(csv.ToString()), new ImportActor("bulk-fin", "bulk-verify", "bulk import test"), new ImportOptions(false, PartRows: 300),
            null, CancellationToken.None);

        result.Outcome.ShouldBe(ImportOutcome.Imported, result.Message);
        (result.Summary!.Rows, result.Summary.Events).ShouldBe((2_000, 4_000));
        var (exit, report) = await ServiceProcess.RunVerb(["audit", "verify"], Path.Combine(Path.GetTempPath(), "funding-cli-unused"),
            ("ConnectionStrings__Funding", app.ConnectionString));
        exit.ShouldBe(0, report);
        report.ShouldContain("Result: PASSED");
    }
}
