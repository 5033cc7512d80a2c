using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Statements;
using NodaTime;

namespace Funding.Tests.Infrastructure;

/// <summary>Builds deciders' inputs by folding events, exactly as Marten does, with no database.</summary>
public static class Given
{
    public static readonly Guid FundId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    public static readonly Guid PackageId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    public static readonly Guid ContributionId = Guid.Parse("33333333-3333-3333-3333-333333333333");

    public static LocalDate D(int year, int month, int day) => new(year, month, day);
    public static Money Usd(decimal amount) => Money.Usd(amount);

    public static FundEstablished Established(FundKind kind = FundKind.MultiPartnerBasketFund, params string[] countries) =>
        new(FundId, "TEST-FUND", "Test fund", kind, 1m, 7m, countries, D(2024, 1, 1));

    public static Fund Fund(params object[] events) => Fund(Established(), events);

    public static Fund Fund(FundEstablished established, params object[] events) =>
        events.Aggregate(Funding.Funds.Fund.Create(established), Fund);

    /// <summary>One event folded into a fund, as Marten applies it.</summary>
    public static Fund Fund(Fund fund, object e) =>
            e switch
            {
                InterestEarned x => Mutate(fund, f => f.Apply(x)),
                AdministrativeAgentFeeCharged x => Mutate(fund, f => f.Apply(x)),
                RegularBudgetAppropriated x => Mutate(fund, f => f.Apply(x)),
                FundsAllocated x => Mutate(fund, f => f.Apply(x)),
                FundsTransferred x => Mutate(fund, f => f.Apply(x)),
                ExpenditureReported x => Mutate(fund, f => f.Apply(x)),
                RefundReceived x => Mutate(fund, f => f.Apply(x)),
                FundOperationallyClosed x => fund.Apply(x),
                FundFinanciallyClosed x => fund.Apply(x),
                _ => throw new ArgumentException($"Not a fund event: {e.GetType().Name}"),
            };

    public static PackageRequested Requested(PackageOrigin origin = PackageOrigin.MemberStateRequest, string country = "CF") =>
        new(PackageId, "CF-TEST", country, "Test elections", D(2024, 12, 15), origin,
            origin == PackageOrigin.SecurityCouncilMandate ? "2217 (2015)" : null, D(2024, 2, 1));

    public static PhaseBudget Polling(decimal budget = 1_000_000m) => new(ElectoralPhase.Polling, D(2024, 9, 1), D(2024, 12, 31), Usd(budget));

    public static NeedsAssessed Assessed(params PhaseBudget[] phases) =>
        new(PackageId, D(2024, 3, 1), phases.Length == 0 ? [Polling()] : phases, ["UNDP"]);

    public static PackageApproved Approved(params PhaseBudget[] phases) =>
        new(PackageId, D(2024, 4, 1), phases.Length == 0 ? [Polling()] : phases);

    public static Package Package(params object[] events)
    {
        var package = events.OfType<PackageRequested>().Select(Funding.Packages.Package.Create).SingleOrDefault()
                      ?? Funding.Packages.Package.Create(Requested());
        foreach (var e in events.Where(x => x is not PackageRequested))
        {
            package = e switch
            {
                NeedsAssessed x => package.Apply(x),
                PackageApproved x => package.Apply(x),
                PackageClosed x => package.Apply(x),
                _ => throw new ArgumentException($"Not a package event: {e.GetType().Name}"),
            };
        }

        return package;
    }

    /// <summary>The package's funding status after its own events and the fund movements for it.</summary>
    public static PackageFundingStatus Status(params object[] events)
    {
        var projection = new PackageFundingStatusProjection();
        PackageFundingStatus? status = null;
        var all = events.OfType<PackageRequested>().Any() ? events : events.Prepend(Requested()).ToArray();
        foreach (var e in all) status = projection.Evolve(status, PackageId, new JasperFx.Events.Event<object>(e));
        return status!;
    }

    public static Contribution? Contribution(params object[] events) => events.Aggregate((Contribution?)null, Contribution);

    /// <summary>One event folded into a contribution (null before its first event), as Marten applies it.</summary>
    public static Contribution Contribution(Contribution? contribution, object e) => (e, contribution) switch
    {
        (PledgeRecorded x, null) => Funding.Contributions.Contribution.Create(x),
        (AgreementSigned x, null) => Funding.Contributions.Contribution.Create(x),
        (DepositReceived x, null) => Funding.Contributions.Contribution.Create(x),
        (AgreementSigned x, { } c) => c.Apply(x),
        (DepositReceived x, { } c) => c.Apply(x),
        (PledgeReduced x, { } c) => Mutate(c, y => y.Apply(x)),
        (AgreementReductionRequested x, { } c) => Mutate(c, y => y.Apply(x)),
        (AgreementReduced x, { } c) => Mutate(c, y => y.Apply(x)),
        (AgreementCorrectionRequested x, { } c) => Mutate(c, y => y.Apply(x)),
        (AgreementReversed x, { } c) => Mutate(c, y => y.Apply(x)),
        (ReceivableRevalued x, { } c) => Mutate(c, y => y.Apply(x)),
        _ => throw new ArgumentException($"Cannot fold {e.GetType().Name} here"),
    };

    static T Mutate<T>(T value, Action<T> apply)
    {
        apply(value);
        return value;
    }
}
