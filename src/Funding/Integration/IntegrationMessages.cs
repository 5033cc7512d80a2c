using NodaTime;
using Wolverine.Attributes;

namespace Funding.Integration;

/// <summary>
/// What other systems (the organisation's ERP, a donor portal, a notification service) hear from the ledger: contracts
/// of their own, versioned, never the internal events. A new field may be added to a version; anything else is a new
/// version, published beside the old one until its consumers have moved.
/// </summary>
public interface IIntegrationMessage
{
    /// <summary>The message's name in routing keys and in the envelope's message type, e.g. <c>package-approved</c>.</summary>
    string MessageType { get; }

    int Version { get; }

    /// <summary>The correlation id of the request (or job) that caused it, as in the service's logs and ProblemDetails.</summary>
    string CorrelationId { get; }

    /// <summary>The ISO 3166 country the message concerns; null when the money is not tied to one country.</summary>
    string? Country { get; }
}

public static class IntegrationRouting
{
    /// <summary>A country segment for money that no single country owns.</summary>
    public const string AnyCountry = "any";

    /// <summary>
    /// The topic exchange's routing key: <c>{type}.v{version}.{country}</c>, e.g. <c>package-approved.v1.NP</c>. Bind
    /// <c>package-*.v1.#</c> for every package message, or <c>#.NP</c> for one country's.
    /// </summary>
    public static string RoutingKey(IIntegrationMessage message) =>
        $"{message.MessageType}.v{message.Version}.{message.Country ?? AnyCountry}";
}

/// <summary>An exact amount and its ISO 4217 currency, as the ledger recorded it.</summary>
public sealed record MoneyValue(decimal Amount, string Currency)
{
    public static MoneyValue Of(Ledger.Money money) => new(money.Amount, money.Currency);

    public static MoneyValue Usd(decimal amount) => new(amount, Ledger.Currency.UsdCode);
}

/// <summary>Cash from a donor arrived in a fund.</summary>
/// <param name="EventId">The ledger event it reports: a consumer that keeps it can tell a redelivery from a new deposit.</param>
/// <param name="EarmarkedPackageId">The package the contribution is earmarked to, if any; its country is the message's.</param>
[MessageIdentity(Name + ".v1")]
public sealed record ContributionReceived(
    Guid EventId, Guid ContributionId, string Reference, Guid FundId, string FundCode, string Donor, MoneyValue Amount,
    decimal Rate, MoneyValue UsdEquivalent, LocalDate ValueDate, string? TransactionReference, Guid? EarmarkedPackageId,
    string? Country, string CorrelationId) : IIntegrationMessage
{
    public const string Name = "contribution-received";
    public string MessageType => Name;
    public int Version => 1;
}

public sealed record InstalmentDue(LocalDate DueOn, MoneyValue Amount);

/// <summary>A donor signed a contribution agreement: money owed to a fund, in instalments.</summary>
/// <param name="Corrects">True when it replaces an agreement recorded wrongly (reversed in full just before).</param>
[MessageIdentity(Name + ".v1")]
public sealed record AgreementSigned(
    Guid EventId, Guid ContributionId, string Reference, Guid FundId, string FundCode, string Donor, MoneyValue Amount,
    decimal Rate, MoneyValue UsdEquivalent, LocalDate SignedOn, IReadOnlyList<InstalmentDue> Instalments, Guid? EarmarkedPackageId,
    bool Corrects, string? Country, string CorrelationId) : IIntegrationMessage
{
    public const string Name = "agreement-signed";
    public string MessageType => Name;
    public int Version => 1;
}

public sealed record PhaseRequirement(Packages.ElectoralPhase Phase, LocalDate StartsOn, LocalDate EndsOn, MoneyValue Budget);

/// <summary>The focal point approved an assistance package: its requirement, by phase.</summary>
[MessageIdentity(Name + ".v1")]
public sealed record PackageApproved(
    Guid EventId, Guid PackageId, string Code, string Country, string ElectoralProcess, LocalDate? ElectionDay, bool Mandated,
    LocalDate ApprovedOn, MoneyValue Requirement, IReadOnlyList<PhaseRequirement> Phases, string CorrelationId) : IIntegrationMessage
{
    public const string Name = "package-approved";
    public string MessageType => Name;
    public int Version => 1;
}

/// <summary>
/// Money of an approved package moved (allocated, returned, transferred, spent or refunded) or its requirement was
/// revised: its figures after the write, in USD. One message per package per write, naming the events that moved it.
/// </summary>
/// <param name="On">The latest business date among those events.</param>
[MessageIdentity(Name + ".v1")]
public sealed record PackageFundingChanged(
    Guid PackageId, string Code, string Country, LocalDate On, IReadOnlyList<string> Causes, IReadOnlyList<Guid> EventIds,
    Statements.FundingStatus Status, MoneyValue Requirement, MoneyValue Allocated, MoneyValue Transferred, MoneyValue Refunded,
    MoneyValue Spent, MoneyValue Gap, decimal? CoveragePercent, string CorrelationId) : IIntegrationMessage
{
    public const string Name = "package-funding-changed";
    public string MessageType => Name;
    public int Version => 1;
}

/// <summary>The flags a package gains or loses, as the focal point's list shows them.</summary>
public enum PackageFlag
{
    /// <summary>Approved, and nothing allocated to it.</summary>
    Unfunded,

    /// <summary>Mandated by the Security Council or General Assembly, approved, and nothing allocated.</summary>
    MandatedAndUnfunded,

    /// <summary>A phase starting within the horizon (or running) whose budget is not covered.</summary>
    PhaseAtRisk,

    /// <summary>The forecast: signed money will not be there when a phase starts.</summary>
    ShortfallAtStart,

    /// <summary>Requested less than four months before election day.</summary>
    LateRequest,
}

/// <summary>
/// A package gained (<paramref name="Raised"/> true) or lost a flag, judged on <paramref name="On"/>. Some flags change
/// as days pass with no event (a phase comes within the horizon): the daily review sends those.
/// </summary>
/// <param name="Flags">Every flag the package has after the change.</param>
[MessageIdentity(Name + ".v1")]
public sealed record PackageFlagged(
    Guid PackageId, string Code, string Country, PackageFlag Flag, bool Raised, LocalDate On, IReadOnlyList<PackageFlag> Flags,
    MoneyValue Gap, string CorrelationId) : IIntegrationMessage
{
    public const string Name = "package-flagged";
    public string MessageType => Name;
    public int Version => 1;
}
