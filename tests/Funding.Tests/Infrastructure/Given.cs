using Funding.Contributions;
using Funding.Contributions.Signing;
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

    /// <summary>A "today" after every business date the deciders' tests use.</summary>
    public static readonly LocalDate Today = D(2026, 1, 1);

    /// <summary>The field errors a command's own <c>Validate</c> reports, before any state is read.</summary>
    public static Dictionary<string, string[]> ErrorsIn(ICommand command, LocalDate? today = null)
    {
        var errors = new ValidationErrors();
        command.Validate(errors, today ?? Today);
        return errors.ToDictionary();
    }

    public static FundEstablished Established(FundKind kind = FundKind.MultiPartnerBasketFund, params string[] countries) =>
        new(FundId, "TEST-FUND", "Test fund", kind, 1m, 7m, countries, D(2024, 1, 1));

    public static Fund Fund(params object[] events) => Fund(Established(), events);

    public static Fund Fund(FundEstablished established, params object[] events) =>
        events.Aggregate(Funding.Funds.Fund.Fold(null, established), Funding.Funds.Fund.Fold);

    public static PackageRequested Requested(PackageOrigin origin = PackageOrigin.MemberStateRequest, string country = "CF") =>
        new(PackageId, "CF-TEST", country, "Test elections", D(2024, 12, 15), origin,
            origin == PackageOrigin.SecurityCouncilMandate ? "2217 (2015)" : null, D(2024, 2, 1));

    public static PhaseBudget Polling(decimal budget = 1_000_000m) => new(ElectoralPhase.Polling, D(2024, 9, 1), D(2024, 12, 31), Usd(budget));

    public static NeedsAssessed Assessed(params PhaseBudget[] phases) =>
        new(PackageId, D(2024, 3, 1), phases.Length == 0 ? [Polling()] : phases, ["UNDP"]);

    public static PackageApproved Approved(params PhaseBudget[] phases) =>
        new(PackageId, D(2024, 4, 1), phases.Length == 0 ? [Polling()] : phases);

    /// <summary>A package folded from its events; requested with <see cref="Requested"/> unless they say otherwise.</summary>
    public static Package Package(params object[] events) =>
        (events.OfType<PackageRequested>().Any() ? events : events.Prepend(Requested()))
        .Aggregate((Package?)null, Funding.Packages.Package.Fold)!;

    /// <summary>The package's funding status after its own events and the fund movements for it.</summary>
    public static PackageFundingStatus Status(params object[] events)
    {
        var projection = new PackageFundingStatusProjection();
        PackageFundingStatus? status = null;
        var all = events.OfType<PackageRequested>().Any() ? events : events.Prepend(Requested()).ToArray();
        foreach (var e in all) status = projection.Evolve(status, PackageId, new JasperFx.Events.Event<object>(e));
        return status!;
    }

    public static Contribution? Contribution(params object[] events) => events.Aggregate((Contribution?)null, Funding.Contributions.Contribution.Fold);

    /// <summary>A package the focal point approved after its needs assessment: by default Polling at 1,000,000.</summary>
    public static Package ApprovedPackage(params PhaseBudget[] phases) => Package(Requested(), Assessed(phases), Approved(phases));

    /// <summary>The funding status of <see cref="ApprovedPackage"/>, after the fund movements given.</summary>
    public static PackageFundingStatus ApprovedStatus(params object[] movements) =>
        Status([Assessed(), Approved(), .. movements]);

    /// <summary>An agreement signed through its own decider, so it holds the receivable the rate gives.</summary>
    public static Contribution SignedAgreement(decimal amount, string currency, decimal unitsPerUsd) =>
        Contribution(SignAgreement.Decide(null, Fund(), null,
            new SignAgreement("NOR-1", FundId, "Norway", new MoneyInput(amount, currency), unitsPerUsd, D(2024, 5, 20), null, null)).Events.ToArray())!;
}
