using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Funding.Integration;
using Funding.Ledger;
using Funding.Shared;
using Funding.Tests.Audit;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Wolverine;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Integration;

/// <summary>Every event type of the ledger says what it publishes: none is left out unnoticed.</summary>
public class IntegrationMessageRuleTests
{
    public static IEnumerable<object[]> EventTypes() => LedgerEvents.All.Select(x => new object[] { x.Name });

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void every_event_type_has_a_publication_rule(string name)
    {
        var type = LedgerEvents.All.Single(x => x.Name == name);
        LedgerMessages.Names(RuntimeHelpers.GetUninitializedObject(type)).ShouldBeTrue();
    }

    [Fact]
    public void routing_keys_name_the_type_the_version_and_the_country()
    {
        var flagged = new PackageFlagged(Guid.Empty, "NP-2024", "NP", PackageFlag.Unfunded, true, new LocalDate(2024, 4, 2), [PackageFlag.Unfunded],
            MoneyValue.Usd(1m), "c");
        IntegrationRouting.RoutingKey(flagged).ShouldBe("package-flagged.v1.NP");
        var received = new ContributionReceived(Guid.Empty, Guid.Empty, "R", Guid.Empty, "F", "D", MoneyValue.Usd(1m), 1m, MoneyValue.Usd(1m),
            new LocalDate(2024, 4, 2), null, null, null, "c");
        IntegrationRouting.RoutingKey(received).ShouldBe("contribution-received.v1.any");
    }
}

/// <summary>
/// The flags a review publishes, judged without a database: a mandated package for CF approved on 1 April 2024 with
/// polling (USD 1,000,000 from 1 September), and a basket fund that may fund CF.
/// </summary>
public class FlagReviewRuleTests
{
    static readonly Funding.Statements.FlagOptions Rules = new() { AtRiskHorizonDays = 60, AwaitingDecisionDays = 30 };

    static Funding.Statements.PackageFundingStatus Mandated(params object[] movements) => Given.Status(
        [Given.Requested(Funding.Packages.PackageOrigin.SecurityCouncilMandate), Given.Assessed(), Given.Approved(), .. movements]);

    static Funding.Packages.Approving.FundingPicture Picture(Funding.Statements.PackageFundingStatus status, decimal cash) =>
        new([(Given.Fund(Given.Established(Funding.Funds.FundKind.MultiPartnerBasketFund, "CF")), cash)], [], [status]);

    [Fact]
    public void approved_with_nothing_behind_it_in_august_is_unfunded_mandated_at_risk_and_short_at_start()
    {
        var status = Mandated();
        FlagReviewHandler.FlagsOf(status, Picture(status, 0m), Given.D(2024, 8, 15), Rules)
            .ShouldBe([PackageFlag.Unfunded, PackageFlag.MandatedAndUnfunded, PackageFlag.PhaseAtRisk, PackageFlag.ShortfallAtStart]);
    }

    [Fact]
    public void in_april_the_phase_is_beyond_the_horizon_and_cash_in_the_fund_covers_the_start()
    {
        var status = Mandated();
        FlagReviewHandler.FlagsOf(status, Picture(status, 1_000_000m), Given.D(2024, 4, 2), Rules)
            .ShouldBe([PackageFlag.Unfunded, PackageFlag.MandatedAndUnfunded]);
    }

    [Fact]
    public void fully_allocated_it_has_no_flag_and_a_request_within_four_months_of_election_day_is_late_until_closed()
    {
        var status = Mandated(new Funding.PackageFinance.FundsAllocated(Given.FundId, Given.PackageId, Funding.Packages.ElectoralPhase.Polling,
            Given.Usd(1_000_000m), Given.D(2024, 4, 10)));
        FlagReviewHandler.FlagsOf(status, Picture(status, 0m), Given.D(2024, 8, 15), Rules).ShouldBeEmpty();

        var late = Given.Status(Given.Requested() with { RequestedOn = Given.D(2024, 9, 1) });
        FlagReviewHandler.FlagsOf(late, Picture(late, 0m), Given.D(2024, 9, 2), Rules).ShouldBe([PackageFlag.LateRequest]);
        var closed = Given.Status(Given.Requested() with { RequestedOn = Given.D(2024, 9, 1) }, new Funding.Packages.PackageClosed(Given.PackageId, Given.D(2024, 9, 3)));
        FlagReviewHandler.FlagsOf(closed, Picture(closed, 0m), Given.D(2024, 9, 4), Rules).ShouldBeEmpty();
    }
}

/// <summary>
/// The service in memory with a real RabbitMQ broker of its own. The scenario: Nepal's trust fund (it may fund Nepal
/// only) and a package for Nepal's 2024 elections, whose polling phase (USD 1,000,000) starts on 1 September.
/// Today is 2 April 2024. The package is approved; a donor signs for USD 600,000 and pays it; 600,000 is allocated.
/// In mid-July the phase comes within the 60 days' horizon; then the package is closed and the 600,000 goes back to the fund.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public class IntegrationMessageTests(IntegrationMessageTests.MessagingLedger app) : IClassFixture<IntegrationMessageTests.MessagingLedger>
{
    public sealed class MessagingLedger : FundingApp
    {
        public RabbitMqServer Broker { get; private set; } = null!;
        public MovableClock Clock { get; } = new() { Now = new DateTimeOffset(2024, 4, 2, 9, 0, 0, TimeSpan.Zero) };

        public override async Task InitializeAsync()
        {
            Broker = await RabbitMqServer.StartAsync(TestCluster.NewScratchDirectory("rabbit-messages"));
            await base.InitializeAsync();
        }

        protected override void ConfigureSettings(IWebHostBuilder web) => web.UseSetting("Funding:Messaging:RabbitMq", Broker.Uri);

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (Broker is not null) await Broker.DisposeAsync();
        }
    }

    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task each_message_arrives_once_with_its_content_and_a_review_that_finds_nothing_new_sends_nothing()
    {
        var subscriber = await Subscriber.ToAsync(app.Broker, "funding");
        var api = new LedgerApi(app.Host);

        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "NP-TF", name = "Nepal electoral trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 0,
            eligibleCountries = new[] { "NP" }, establishedOn = "2024-01-02",
        }, 201, "establish-1");
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "NP-2024", country = "NP", electoralProcess = "2024 general elections", electionDay = "2024-12-15", origin = "MemberStateRequest",
            requestedOn = "2024-02-01",
        }, 201, "request-1");
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2024-03-01", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-09-01", endsOn = "2024-12-31", budget = Usd(1_000_000m) } },
        }, correlationId: "assess-1");
        await api.Record($"/api/packages/{package.PackageId}/approval", new
        {
            approvedOn = "2024-04-01", phases = new[] { new { phase = "Polling", budget = Usd(1_000_000m) } },
        }, correlationId: "approve-1");

        // Approved with nothing behind it: unfunded, and the money will not be there when polling starts.
        var approval = await subscriber.WaitFor(x => x.Count >= 3, Limit, "the approval and its two flags");
        var approvedEvent = await EventOf<Funding.Packages.PackageApproved>(package.PackageId);
        ShouldBe(Only(approval, PackageApproved.Name), new PackageApproved(approvedEvent, package.PackageId, "NP-2024", "NP", "2024 general elections",
            new LocalDate(2024, 12, 15), false, new LocalDate(2024, 4, 1), MoneyValue.Usd(1_000_000m),
            [new PhaseRequirement(Funding.Packages.ElectoralPhase.Polling, new LocalDate(2024, 9, 1), new LocalDate(2024, 12, 31), MoneyValue.Usd(1_000_000m))],
            "approve-1"));
        var raised = approval.Where(x => x.Type == PackageFlagged.Name).ToList();
        raised.Count.ShouldBe(2);
        ShouldBe(raised[0], Flagged(package.PackageId, PackageFlag.Unfunded, true, [PackageFlag.Unfunded, PackageFlag.ShortfallAtStart], 1_000_000m, raised[0]));
        ShouldBe(raised[1], Flagged(package.PackageId, PackageFlag.ShortfallAtStart, true, [PackageFlag.Unfunded, PackageFlag.ShortfallAtStart], 1_000_000m, raised[1]));

        // A donor signs and pays; the fund serves Nepal only, so the money's country is Nepal.
        await api.Record("/api/contributions/agreements", new
        {
            reference = "NP-NOR-2024", fundId = fund.FundId, donor = "Norway", amount = Usd(600_000m), signedOn = "2024-04-02",
            instalments = new[] { new { dueOn = "2024-05-01", amount = Usd(600_000m) } },
        }, 201, "sign-1");
        await api.Record("/api/contributions/deposits", new
        {
            reference = "NP-NOR-2024", fundId = fund.FundId, donor = "Norway", amount = Usd(600_000m), valueDate = "2024-04-02",
            transactionReference = "TX-NP-1",
        }, 201, "deposit-1");
        var money = await subscriber.WaitFor(x => x.Count >= 5, Limit, "the agreement and the deposit");
        var contribution = Funding.Contributions.ContributionIds.For("NP-NOR-2024");
        ShouldBe(Only(money, AgreementSigned.Name), new AgreementSigned(await EventOf<Funding.Contributions.AgreementSigned>(contribution), contribution,
            "NP-NOR-2024", fund.FundId, "NP-TF", "Norway", MoneyValue.Usd(600_000m), 1m, MoneyValue.Usd(600_000m), new LocalDate(2024, 4, 2),
            [new InstalmentDue(new LocalDate(2024, 5, 1), MoneyValue.Usd(600_000m))], null, false, "NP", "sign-1"));
        ShouldBe(Only(money, ContributionReceived.Name), new ContributionReceived(await EventOf<Funding.Contributions.DepositReceived>(contribution),
            contribution, "NP-NOR-2024", fund.FundId, "NP-TF", "Norway", MoneyValue.Usd(600_000m), 1m, MoneyValue.Usd(600_000m),
            new LocalDate(2024, 4, 2), "TX-NP-1", null, "NP", "deposit-1"));

        // 600,000 allocated: no longer unfunded, still short when polling starts.
        await api.Record($"/api/packages/{package.PackageId}/allocations",
            new { fundId = fund.FundId, phase = "Polling", amount = Usd(600_000m), allocatedOn = "2024-04-02" }, correlationId: "allocate-1");
        var allocated = await subscriber.WaitFor(x => x.Count >= 7, Limit, "the allocation and the flag it clears");
        ShouldBe(Only(allocated, PackageFundingChanged.Name), new PackageFundingChanged(package.PackageId, "NP-2024", "NP", new LocalDate(2024, 4, 2),
            ["FundsAllocated"], [await EventOf<Funding.PackageFinance.FundsAllocated>(fund.FundId)], Funding.Statements.FundingStatus.PartiallyFunded,
            MoneyValue.Usd(1_000_000m), MoneyValue.Usd(600_000m), MoneyValue.Usd(0m), MoneyValue.Usd(0m), MoneyValue.Usd(0m), MoneyValue.Usd(400_000m),
            60.0m, "allocate-1"));
        var cleared = allocated.Skip(5).Single(x => x.Type == PackageFlagged.Name);
        ShouldBe(cleared, Flagged(package.PackageId, PackageFlag.Unfunded, false, [PackageFlag.ShortfallAtStart], 400_000m, cleared));

        // Mid-July, with no event: polling starts within the horizon and is not covered. The daily review says so, once.
        app.Clock.Now = new DateTimeOffset(2024, 7, 15, 0, 0, 5, TimeSpan.Zero);
        await using var scope = app.Host.Services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await bus.InvokeAsync(new DailyFlagReview(new LocalDate(2024, 7, 15)));
        var july = await subscriber.WaitFor(x => x.Count >= 8, Limit, "the daily review's flag");
        ShouldBe(july[^1], Flagged(package.PackageId, PackageFlag.PhaseAtRisk, true, [PackageFlag.PhaseAtRisk, PackageFlag.ShortfallAtStart], 400_000m, july[^1],
            new LocalDate(2024, 7, 15)));
        // With the day's other reviews, if any came in the same second (the test's clock puts their schedule in the past).
        Correlation(july[^1]).ShouldContain("daily-review 2024-07-15");
        await bus.InvokeAsync(new DailyFlagReview(new LocalDate(2024, 7, 15)));
        await subscriber.NothingMoreWithin(TimeSpan.FromSeconds(4));

        // Closed, what was allocated going back to the fund: the money moves, and the package has no flag left.
        await api.Record($"/api/packages/{package.PackageId}/closure", new { closedOn = "2024-07-15", returnWhatIsLeft = true }, correlationId: "close-1");
        var closed = await subscriber.WaitFor(x => x.Count >= 11, Limit, "the closure's return and the flags it clears");
        ShouldBe(Only(closed.Skip(8), PackageFundingChanged.Name), new PackageFundingChanged(package.PackageId, "NP-2024", "NP", new LocalDate(2024, 7, 15),
            ["AllocationReturned"], [await EventOf<Funding.PackageFinance.AllocationReturned>(fund.FundId)], Funding.Statements.FundingStatus.ApprovedButUnfunded,
            MoneyValue.Usd(1_000_000m), MoneyValue.Usd(0m), MoneyValue.Usd(0m), MoneyValue.Usd(0m), MoneyValue.Usd(0m), MoneyValue.Usd(1_000_000m),
            0.0m, "close-1"));
        var lost = closed.Skip(8).Where(x => x.Type == PackageFlagged.Name).ToList();
        lost.Select(x => (x.Body.GetProperty("flag").GetString(), x.Body.GetProperty("raised").GetBoolean(), x.Body.GetProperty("flags").GetArrayLength()))
            .ShouldBe([("PhaseAtRisk", false, 0), ("ShortfallAtStart", false, 0)]);

        // Once each: eleven messages, eleven ids; routed by type, version and country; typed and correlated in their envelopes.
        var all = subscriber.Received;
        all.Select(x => x.MessageId).Distinct().Count().ShouldBe(11);
        all.GroupBy(x => x.Type).ToDictionary(x => x.Key, x => x.Count()).ShouldBe(new Dictionary<string, int>
        {
            [PackageApproved.Name] = 1, [AgreementSigned.Name] = 1, [ContributionReceived.Name] = 1, [PackageFundingChanged.Name] = 2, [PackageFlagged.Name] = 6,
        }, ignoreOrder: true);
        all.ShouldAllBe(x => x.RoutingKey == $"{x.Type}.v1.NP" && x.MessageType == $"{x.Type}.v1");
        Only(all, ContributionReceived.Name).CorrelationId.ShouldBe("deposit-1");
    }

    [Fact]
    public async Task an_imported_file_of_deposits_publishes_each_deposit_with_the_import_correlation_id()
    {
        var subscriber = await Subscriber.ToAsync(app.Broker, "funding", "contribution-received.#");
        var api = new LedgerApi(app.Host);
        await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "CF-IMP", name = "Import basket fund", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 0,
            eligibleCountries = new[] { "CF", "ML" }, establishedOn = "2024-01-02",
        }, 201);
        const string csv = """
            reference,fund_code,donor,amount,currency,value_date,rate,rate_override_reason,transaction_reference
            IMP-1,CF-IMP,Sweden,1000.00,USD,2024-02-01,,,TX-IMP-1
            IMP-2,CF-IMP,Japan,2500.50,USD,2024-02-02,,,TX-IMP-2
            IMP-3,CF-IMP,Sweden,75.25,USD,2024-02-03,,,TX-IMP-3
            """;
        await app.Host.Scenario(s =>
        {
            s.Post.Text(csv).ContentType("text/csv").ToUrl("/api/contributions/imports/deposits");
            s.WithRequestHeader(Funding.Hosting.Telemetry.CorrelationScope.Header, "import-1");
            s.StatusCodeShouldBe(200);
        });

        var received = await subscriber.WaitFor(x => x.Count >= 3, Limit, "the three imported deposits");
        await subscriber.NothingMoreWithin(TimeSpan.FromSeconds(2));
        received.Select(x => (x.Body.GetProperty("reference").GetString(), x.Body.GetProperty("amount").GetProperty("amount").GetDecimal(),
                x.Body.GetProperty("fundCode").GetString(), x.Body.GetProperty("correlationId").GetString(), x.RoutingKey))
            .OrderBy(x => x.Item1)
            .ShouldBe([
                ("IMP-1", 1000.00m, "CF-IMP", "import-1", "contribution-received.v1.any"),
                ("IMP-2", 2500.50m, "CF-IMP", "import-1", "contribution-received.v1.any"),
                ("IMP-3", 75.25m, "CF-IMP", "import-1", "contribution-received.v1.any"),
            ]);
    }

    static Delivery Only(IEnumerable<Delivery> deliveries, string type) => deliveries.Single(x => x.Type == type);

    static string Correlation(Delivery delivery) => delivery.Body.GetProperty("correlationId").GetString()!;

    /// <summary>The flag as expected, with the correlation id the review carried (a review may answer several writes).</summary>
    static PackageFlagged Flagged(Guid packageId, PackageFlag flag, bool raised, PackageFlag[] flags, decimal gap, Delivery delivery, LocalDate? on = null) =>
        new(packageId, "NP-2024", "NP", flag, raised, on ?? new LocalDate(2024, 4, 2), flags, MoneyValue.Usd(gap), Correlation(delivery));

    /// <summary>The whole message, every field, as JSON.</summary>
    static void ShouldBe(Delivery delivery, IIntegrationMessage expected)
    {
        var wanted = JsonSerializer.SerializeToNode(expected, expected.GetType(), Json)!;
        JsonNode.DeepEquals(JsonNode.Parse(delivery.Body.GetRawText()), wanted)
            .ShouldBeTrue($"{Environment.NewLine}received {delivery.Body}{Environment.NewLine}expected {wanted.ToJsonString()}");
    }

    async Task<Guid> EventOf<T>(Guid streamId)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Single(x => x.Data is T).Id;
    }
}
