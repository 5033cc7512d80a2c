using System.Text.Json;
using Funding.Contributions;
using Funding.Contributions.Pledging;
using Funding.Contributions.Receiving;
using Funding.Contributions.Reducing;
using Funding.Contributions.Revaluing;
using Funding.Contributions.Signing;
using Funding.Funds;
using Funding.Funds.EarningInterest;
using Funding.Hosting;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.PackageFinance.Allocating;
using Funding.PackageFinance.Refunding;
using Funding.PackageFinance.ReportingExpenditure;
using Funding.PackageFinance.Transferring;
using Funding.Packages;
using Funding.Rates;
using Funding.Shared;
using Funding.Statements;
using JasperFx.Events;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Properties;

/// <summary>
/// The whole write side without a database: one fund, one approved package, a few contributions, the rate table and
/// the money read models, driven through the real Validate and Decide functions and folded as Marten folds them.
/// </summary>
public sealed class LedgerModel
{
    public static readonly string[] Currencies = ["USD", "EUR", "NOK", "JPY", "KWD"];
    public static readonly string[] Organisations = ["UNDP", "IOM"];
    public static readonly ElectoralPhase[] Phases = [ElectoralPhase.VoterRegistration, ElectoralPhase.Polling];

    static readonly JsonSerializerOptions Json = CreateJson();
    static readonly IClock Clock = new NodaTime.Testing.FakeClock(Instant.FromUtc(2025, 1, 1, 0, 0));
    static readonly OperationalRates RateTable = BuildRates();

    readonly List<object> history = [];
    Fund fund = Fund();
    readonly Package package = Package(Requested(), Assessed(Phase(ElectoralPhase.VoterRegistration, 400_000m), Phase(ElectoralPhase.Polling, 600_000m)),
        Approved(Phase(ElectoralPhase.VoterRegistration, 400_000m), Phase(ElectoralPhase.Polling, 600_000m)));
    readonly Dictionary<Guid, Contribution> contributions = new();
    FundStatement statement;
    TrialBalance trialBalance = new() { Id = FundId };
    PackageFundingStatus status;

    public LedgerModel()
    {
        statement = new FundStatementProjection().Evolve(null, FundId, Wrap(Established()))!;
        status = Status(Assessed(Phase(ElectoralPhase.VoterRegistration, 400_000m), Phase(ElectoralPhase.Polling, 600_000m)),
            Approved(Phase(ElectoralPhase.VoterRegistration, 400_000m), Phase(ElectoralPhase.Polling, 600_000m)));
    }

    public IReadOnlyList<object> History => history;
    public TrialBalance TrialBalance => trialBalance;
    public Fund Fund_ => fund;
    public FundStatement Statement => statement;
    public PackageFundingStatus PackageStatus => status;
    public OperationalRates Rates => RateTable;

    static PhaseBudget Phase(ElectoralPhase phase, decimal budget) => new(phase, D(2024, 3, 1), D(2024, 12, 31), Usd(budget));

    /// <summary>Validates and decides one command; applies its events if accepted. Returns what happened.</summary>
    public (bool Accepted, IReadOnlyList<object> Events) Execute(ModelCommand command)
    {
        var (validation, decision) = command switch
        {
            ModelCommand.Pledge c => Run(RecordPledgeEndpoint.Validate(c.ToCommand()), () =>
                RecordPledgeEndpoint.Decide(Existing(c.Reference), fund, c.ToCommand(), RateTable)),
            ModelCommand.Sign c => Run(SignAgreementEndpoint.Validate(c.ToCommand()), () =>
                SignAgreementEndpoint.Decide(Existing(c.Reference), fund, c.ToCommand(), RateTable)),
            ModelCommand.Deposit c => Run(RecordDepositEndpoint.Validate(c.ToCommand(), Clock), () =>
            {
                var (outcome, rejection) = RecordDepositEndpoint.Decide(Existing(c.Reference), fund, c.ToCommand(), RateTable);
                return rejection is not null ? rejection : Decision.Accept(outcome!.Fee is null ? [outcome.Deposit] : [outcome.Deposit, outcome.Fee]);
            }),
            ModelCommand.ReduceAgreement c => Existing(c.Reference) is { } existing
                ? Run(ReduceAgreementEndpoint.Validate(c.ToCommand(existing)), () => ReduceAgreementEndpoint.Decide(existing, c.ToCommand(existing), "requester"))
                : (null, (Decision?)null),
            ModelCommand.ConfirmReduction c => Existing(c.Reference) is { } pending
                ? (null, ReduceAgreementEndpoint.Confirm(pending, c.SamePerson ? "requester" : "confirmer"))
                : (null, (Decision?)null),
            ModelCommand.Interest c => Run(RecordInterestEndpoint.Validate(c.ToCommand()), () => RecordInterestEndpoint.Decide(fund, c.ToCommand())),
            ModelCommand.Allocate c => Run(AllocateFundsEndpoint.Validate(c.ToCommand()), () =>
                AllocateFundsEndpoint.Decide(fund, package, status, statement.Contributions, c.ToCommand())),
            ModelCommand.Transfer c => Run(TransferFundsEndpoint.Validate(c.ToCommand()), () =>
                TransferFundsEndpoint.Decide(fund, package, statement.Contributions, c.ToCommand())),
            ModelCommand.Expenditure c => Run(ReportExpenditureEndpoint.Validate(c.ToCommand()), () =>
                ReportExpenditureEndpoint.Decide(fund, package, c.ToCommand())),
            ModelCommand.Refund c => Run(RecordRefundEndpoint.Validate(c.ToCommand()), () => RecordRefundEndpoint.Decide(fund, package, c.ToCommand())),
            ModelCommand.Revalue c => Run(RevalueReceivablesEndpoint.Validate(c.ToCommand()), () =>
                RevalueReceivablesEndpoint.Decide(fund, contributions.Values, RateTable, c.ToCommand())),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        if (validation is not null || decision is null || decision.Value.IsRejected) return (false, []);
        foreach (var e in decision.Value.Events) Apply(e);
        return (true, decision.Value.Events);
    }

    static (Microsoft.AspNetCore.Mvc.ProblemDetails? Problem, Decision? Decision) Run(Microsoft.AspNetCore.Mvc.ProblemDetails validation, Func<Decision> decide) =>
        validation is Microsoft.AspNetCore.Mvc.ValidationProblemDetails ? (validation, null) : (null, decide());

    Contribution? Existing(string reference) => contributions.GetValueOrDefault(ContributionIds.For(reference));

    void Apply(object e)
    {
        history.Add(e);
        var wrapped = Wrap(e);
        switch (e)
        {
            case PledgeRecorded or AgreementSigned or DepositReceived or PledgeReduced or AgreementReductionRequested or AgreementReduced or ReceivableRevalued:
                var id = ContributionIdOf(e);
                contributions[id] = Funding.Tests.Infrastructure.Given.Contribution(contributions.GetValueOrDefault(id), e);
                break;
            default:
                fund = Funding.Tests.Infrastructure.Given.Fund(fund, e);
                break;
        }

        statement = new FundStatementProjection().Evolve(statement, FundId, wrapped)!;
        trialBalance = new TrialBalanceProjection().Evolve(trialBalance, FundId, wrapped);
        if (e is IPackageEvent) status = new PackageFundingStatusProjection().Evolve(status, PackageId, wrapped)!;
    }

    static Guid ContributionIdOf(object e) => e switch
    {
        PledgeRecorded x => x.ContributionId,
        AgreementSigned x => x.ContributionId,
        DepositReceived x => x.ContributionId,
        PledgeReduced x => x.ContributionId,
        AgreementReductionRequested x => x.ContributionId,
        AgreementReduced x => x.ContributionId,
        ReceivableRevalued x => x.ContributionId,
        _ => throw new ArgumentException(e.GetType().Name),
    };

    /// <summary>Everything the model knows, as JSON: equal JSON means equal state.</summary>
    public string Snapshot() => JsonSerializer.Serialize(new
    {
        fund,
        contributions = contributions.OrderBy(x => x.Key).Select(x => x.Value),
        statement,
        trialBalance,
        status,
    }, Json);

    /// <summary>A new model with the recorded events replayed into it, in order.</summary>
    public LedgerModel Replay()
    {
        var replayed = new LedgerModel();
        foreach (var e in history) replayed.Apply(e);
        return replayed;
    }

    static IEvent Wrap(object e) => new Event<object>(e);

    static OperationalRates BuildRates()
    {
        OperationalRates? table = null;
        for (var month = 1; month <= 12; month++)
        {
            var revision = new OperationalRatesPublished(D(2024, month, 1), RevisionKind.Monthly, $"UNORE 2024-{month:00}",
            [
                new QuotedRate("EUR", 0.90m + 0.01m * month), new QuotedRate("JPY", 140m + month), new QuotedRate("KWD", 0.305m + 0.001m * month),
                new QuotedRate("NOK", 10m + 0.1m * month),
            ], "model");
            table = table is null ? OperationalRates.Create(revision) : table.Apply(revision);
        }

        return table!;
    }

    static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonForFunding.Configure(options);
        return options;
    }
}
