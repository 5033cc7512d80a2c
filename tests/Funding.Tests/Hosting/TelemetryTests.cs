using System.Diagnostics;
using Alba;
using Funding.Contributions;
using Funding.Hosting.Telemetry;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Hosting;

/// <summary>Traces reach the database, one correlation id ties a request's trace, logs and events, and the ledger's gauges read true.</summary>
public class TelemetryTests(TelemetryTests.TracedApp app) : IClassFixture<TelemetryTests.TracedApp>
{
    public sealed class TracedApp : FundingApp
    {
        public List<Activity> Spans { get; } = [];
        public List<Metric> Metrics { get; } = [];

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        }
    }

    readonly LedgerApi api = new(app.Host);

    async Task<Guid> Fund(string code) => (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
    {
        code, name = code, kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7, establishedOn = "2025-01-02",
    }, 201)).FundId;

    [Fact]
    public async Task a_request_s_trace_reaches_the_database_and_its_id_is_on_the_events()
    {
        var fundId = await Fund("OTEL-TF");
        var given = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { reference = "OTEL-1", fundId, donor = "Sweden", amount = Usd(100m), valueDate = "2025-02-01", transactionReference = "TX-OTEL-1" }).ToUrl("/api/contributions/deposits");
            s.WithRequestHeader(CorrelationScope.Header, "remittance-77");
            s.StatusCodeShouldBe(201);
        });
        given.Context.Response.Headers[CorrelationScope.Header].ToString().ShouldBe("remittance-77");
        await api.Record("/api/contributions/deposits", new { reference = "OTEL-2", fundId, donor = "Sweden", amount = Usd(200m), valueDate = "2025-02-02", transactionReference = "TX-OTEL-2" }, 201);

        app.Host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        await using var session = app.Store.QuerySession();
        var first = (await session.Events.FetchStreamAsync(ContributionIds.For("OTEL-1"))).Single();
        var second = (await session.Events.FetchStreamAsync(ContributionIds.For("OTEL-2"))).Single();
        first.CorrelationId.ShouldBe("remittance-77");

        // Without a caller's id, the trace id is the correlation id: the request's span, and the SQL it ran, share it.
        var request = app.Spans.Single(x => x.Source.Name == "Microsoft.AspNetCore" && x.TraceId.ToString() == second.CorrelationId);
        request.GetTagItem("http.route").ShouldBe("/api/contributions/deposits");
        app.Spans.ShouldContain(x => x.Source.Name == "Npgsql" && x.TraceId == request.TraceId);
    }

    [Fact]
    public async Task a_deposit_takes_its_locks_and_loads_in_one_round_trip_then_its_sequence_numbers_and_its_save()
    {
        var fundId = await Fund("OTEL-TRIPS");
        // The first keyed write of a host checks that the keys' table exists; the second is every write after it.
        foreach (var reference in (string[])["TRIPS-1", "TRIPS-2"])
        {
            await app.Host.Scenario(s =>
            {
                s.Post.Json(new { reference, fundId, donor = "Sweden", amount = Usd(200m), valueDate = "2025-02-02", transactionReference = $"TX-{reference}" }).ToUrl("/api/contributions/deposits");
                s.WithRequestHeader("Idempotency-Key", reference);
                s.StatusCodeShouldBe(201);
            });
        }

        app.Host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        await using var session = app.Store.QuerySession();
        var deposit = (await session.Events.FetchStreamAsync(ContributionIds.For("TRIPS-2"))).Single();
        // One span per command or batch sent: a round trip each (the commit follows the save, without a span).
        var trips = app.Spans.Where(x => x.Source.Name == "Npgsql" && x.TraceId.ToString() == deposit.CorrelationId).OrderBy(x => x.StartTimeUtc)
            .Select(x => string.Join(", ", ((string)(x.GetTagItem("db.query.text") ?? x.GetTagItem("db.statement"))!).Split(";\n").Select(WhatItTouches)))
            .ToList();

        // The locks come first in Wolverine's batch, so the aggregates and documents after them are read under them.
        trips.ShouldBe([
            "pg_advisory_xact_lock_shared, mt_doc_accountingperiods, mt_streams, event_chain_heads, mt_doc_trialbalance, mt_doc_fundstatement, " +
            "mt_doc_idempotencyrecord, mt_streams, mt_doc_contribution, mt_streams, mt_doc_fund, mt_doc_operationalrates, mt_doc_recordeddeposit",
            "nextval",
            "mt_streams, mt_events, mt_doc_idempotencyrecord, mt_doc_contribution, mt_doc_trialbalance, mt_doc_fundstatement, mt_doc_recordeddeposit",
        ]);

        static string WhatItTouches(string statement) =>
            System.Text.RegularExpressions.Regex.Match(statement, @"pg_advisory_xact_lock_shared|nextval|(?:from|into) \w+\.(\w+)") is { Success: true } m
                ? m.Groups[1].Success ? m.Groups[1].Value : m.Value
                : statement;
    }

    [Fact]
    public async Task the_approved_unfunded_gauge_counts_approved_packages_with_nothing_allocated()
    {
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "OTEL-PKG", country = "NP", electoralProcess = "E", origin = "MemberStateRequest", requestedOn = "2025-01-02",
        }, 201);
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2025-01-10", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2025-06-01", endsOn = "2025-06-30", budget = Usd(1_000m) } },
        });
        await api.Record($"/api/packages/{package.PackageId}/approval", new { approvedOn = "2025-01-20", phases = new[] { new { phase = "Polling", budget = Usd(1_000m) } } });

        // The daemon keeps the time-to-funding timeline: once it has caught up, the lag is nothing.
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(app.Store, TimeSpan.FromSeconds(60));
        await app.Host.Services.GetRequiredService<LedgerGauges>().RefreshAsync(CancellationToken.None);
        app.Metrics.Clear();
        app.Host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        // Other test hosts in this process have their own gauges: read this ledger's, by its database.
        var database = new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        long Gauge(string name)
        {
            var points = new List<long>();
            foreach (var metric in app.Metrics.Where(x => x.Name == name))
            {
                foreach (var point in metric.GetMetricPoints())
                {
                    foreach (var tag in point.Tags)
                    {
                        if (tag.Key == LedgerTelemetry.DatabaseTag && Equals(tag.Value, database)) points.Add(point.GetGaugeLastValueLong());
                    }
                }
            }

            return points.Distinct().Single();
        }

        Gauge(LedgerTelemetry.ApprovedUnfunded).ShouldBe(1);
        Gauge(LedgerTelemetry.ProjectionLag).ShouldBe(0);
    }
}
