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
using Funding.Periods;
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
    static readonly LocalDate Today = D(2025, 1, 1);
    static readonly OperationalRates RateTable = BuildRates();

    readonly List<object> history = [];
    Fund fund = Fund();
    Package package = Package(Requested(), Assessed(Phase(ElectoralPhase.VoterRegistration, 400_000m), Phase(ElectoralPhase.Polling, 600_000m)),
        Approved(Phase(ElectoralPhase.VoterRegistration, 400_000m), Phase(ElectoralPhase.Polling, 600_000m)));
    readonly Dictionary<Guid, Contribution> contributions = new();
    readonly Dictionary<Guid, RecordedDeposit> deposits = new();
    AccountingPeriods periods = AccountingPeriods.None;
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
    public AccountingPeriods Periods => periods;

    static PhaseBudget Phase(ElectoralPhase phase, decimal budget) => new(phase, D(2024, 3, 1), D(2024, 12, 31), Usd(budget));

    /// <summary>Validates and decides one command; applies its events if accepted. Returns what happened.</summary>
    public (bool Accepted, IReadOnlyList<object> Events) Execute(ModelCommand command)
    {
        var decision = command switch
        {
            ModelCommand.Pledge c => Run(c.ToCommand(), x => RecordPledge.Decide(Existing(c.Reference), fund, RateTable, x)),
            ModelCommand.Sign c => Run(c.ToCommand(), x => SignAgreement.Decide(Existing(c.Reference), fund, RateTable, x)),
            ModelCommand.Deposit c => Run(c.ToCommand(), x => RecordDeposit.Decide(Existing(c.Reference), fund, RateTable, deposits.GetValueOrDefault(x.DepositKey), x)),
            ModelCommand.ReduceAgreement c => Existing(c.Reference) is { } existing
                ? Run(c.ToCommand(existing), x => ReduceAgreement.Decide(existing, x, "requester"))
                : null,
            ModelCommand.ConfirmReduction c => Existing(c.Reference) is { } pending
                ? Run(new ConfirmAgreementReduction(), x => ConfirmAgreementReduction.Decide(pending, x, c.SamePerson ? "requester" : "confirmer"))
                : null,
            ModelCommand.Interest c => Run(c.ToCommand(), x => RecordInterest.Decide(fund, x)),
            ModelCommand.Allocate c => Run(c.ToCommand(), x => AllocateFunds.Decide(fund, package, status, statement.Contributions, x)),
            ModelCommand.ReturnAllocation c => Run(c.ToCommand(), x => Funding.PackageFinance.Returning.ReturnAllocation.Decide(fund, package, x)),
            ModelCommand.RequestRevision c => Run(c.ToCommand(package), x => Funding.Packages.Revising.RequestBudgetRevision.Decide(package, status, x, "ead")),
            ModelCommand.ApproveRevision c => Run(c.ToCommand(), x => Funding.Packages.Revising.ApproveBudgetRevision.Decide(package, status, x, c.SamePerson ? "ead" : "usg")),
            ModelCommand.Close c => Run(c.ToCommand(), x => Funding.Packages.Closing.ClosePackage.Decide(package, status, [fund], x)),
            ModelCommand.Transfer c => Run(c.ToCommand(), x => TransferFunds.Decide(fund, package, statement.Contributions, x)),
            ModelCommand.Expenditure c => Run(c.ToCommand(), x => ReportExpenditure.Decide(fund, package, x)),
            ModelCommand.Refund c => Run(c.ToCommand(), x => RecordRefund.Decide(fund, package, x)),
            ModelCommand.Revalue c => Run(c.ToCommand(), x => RevalueReceivables.Decide(fund, contributions.Values, RateTable, x)),
            ModelCommand.CloseMonth c => CloseMonth(c),
            ModelCommand.ReopenMonth c => Run(c.ToCommand(), x => Funding.Periods.Reopening.ReopenMonth.Decide(periods, x, "admin", Today)),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        // As the write pipeline does for every command: nothing may be dated in a closed month.
        if (decision is { IsRejected: false } decided && ClosedBooks.Of(periods.ClosedThrough)?.Refuses(decided.Events, _ => null) is { } closed) decision = closed;
        if (decision is not { IsRejected: false } accepted) return (false, []);
        foreach (var e in accepted.Events) Apply(e);
        return (true, accepted.Events);
    }

    /// <summary>
    /// The request and, when it is accepted, its confirmation, as two finance officers send them; the month's figures as
    /// at its end are folded again from what was recorded dated by then, as the service replays them.
    /// </summary>
    Decision? CloseMonth(ModelCommand.CloseMonth c)
    {
        // A close already asked for waits for its confirmation: this one confirms it.
        var requested = periods.PendingClose is null
            ? Run(c.ToCommand(), x => Funding.Periods.Closing.RequestMonthClose.Decide(periods, x, "fin-1"))
            : Decision.Accept();
        if (requested is not { IsRejected: false } asked) return requested;
        var monthEnd = (asked.Events.OfType<MonthCloseRequested>().SingleOrDefault() ?? periods.PendingClose!).MonthEnd;
        var asAt = new LedgerModel();
        foreach (var e in history.Where(x => x is not IPeriodEvent && LedgerEvents.Of(x).BusinessDate <= monthEnd)) asAt.Apply(e);
        var figures = new Funding.Periods.Closing.MonthEndFigures(
            [new FundAtClose(FundId, fund.Code, FundStatementReport.From(asAt.statement), TrialBalanceReport.From(FundId, asAt.trialBalance))],
            contributions.Values.Where(x => x.IsRevaluationDue(monthEnd)).Select(x => new Funding.Periods.Closing.RevaluationDue(FundId, fund.Code, x.Reference, x.Currency)).ToList(),
            []);
        var pending = asked.Events.Aggregate(Copy(periods), AccountingPeriods.Fold);
        var confirmed = Funding.Periods.Closing.ConfirmMonthClose.Decide(pending, figures, new(), c.SamePerson ? "fin-1" : "fin-2");
        // A refused confirmation leaves the request waiting, as it would in the service.
        return confirmed.IsRejected ? (asked.Events.Count > 0 ? asked : confirmed) : Decision.Accept([.. asked.Events, .. confirmed.Events]);
    }

    static AccountingPeriods Copy(AccountingPeriods periods) =>
        JsonSerializer.Deserialize<AccountingPeriods>(JsonSerializer.Serialize(periods, Json), Json)!;

    /// <summary>The pipeline's order: the command's own checks first, then the decider; null when the checks refuse it.</summary>
    static Decision? Run<TCommand>(TCommand command, Func<TCommand, Decision> decide) where TCommand : ICommand =>
        ErrorsIn(command, Today).Count > 0 ? (Decision?)null : decide(command);

    Contribution? Existing(string reference) => contributions.GetValueOrDefault(ContributionIds.For(reference));

    void Apply(object e)
    {
        history.Add(e);
        var wrapped = Wrap(e);
        var recorded = LedgerEvents.Of(e);
        var stream = LedgerEvents.StreamOf(e.GetType());
        if (e is DepositReceived deposit) deposits.Add(RecordedDeposit.KeyOf(deposit, Guid.Empty), RecordedDeposit.Of(deposit, Guid.Empty));
        if (stream == typeof(AccountingPeriods))
        {
            periods = AccountingPeriods.Fold(periods, e);
            return;
        }

        if (stream == typeof(Contribution))
            contributions[recorded.StreamId] = Funding.Contributions.Contribution.Fold(contributions.GetValueOrDefault(recorded.StreamId), e);
        else if (stream == typeof(Package))
            package = Funding.Packages.Package.Fold(package, e);
        else
            fund = Funding.Funds.Fund.Fold(fund, e);

        if (e is IFundEvent) statement = new FundStatementProjection().Evolve(statement, FundId, wrapped)!;
        trialBalance = new TrialBalanceProjection().Evolve(trialBalance, FundId, wrapped);
        if (e is IPackageEvent) status = new PackageFundingStatusProjection().Evolve(status, PackageId, wrapped)!;
    }

    /// <summary>Everything the model knows, as JSON: equal JSON means equal state.</summary>
    public string Snapshot() => JsonSerializer.Serialize(new
    {
        fund,
        package,
        contributions = contributions.OrderBy(x => x.Key).Select(x => x.Value),
        statement,
        trialBalance,
        status,
        periods,
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
            table = OperationalRates.Fold(table, revision);
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
