using System.Globalization;
using NodaTime;

namespace Funding.Ledger;

/// <summary>The IATI transaction types the ledger publishes (IATI codelist TransactionType).</summary>
public enum IatiTransaction
{
    IncomingFunds = 1,
    OutgoingCommitment = 2,
    Disbursement = 3,
    Expenditure = 4,
    IncomingCommitment = 11,
    IncomingPledge = 13,
}

/// <summary>How an event is published in IATI, declared by the event itself (<see cref="ILedgerEvent.Iati"/>).</summary>
public abstract record IatiTreatment
{
    /// <summary>Not an IATI transaction, and why (a request is not money; a fee stays inside the fund).</summary>
    public sealed record NotReported(string Why) : IatiTreatment;

    /// <summary>
    /// Money into the fund: a pledge, an agreement, cash, interest, an appropriation. Reported on the fund's activity;
    /// a contribution's donor and earmark are those of <paramref name="ContributionId"/>.
    /// </summary>
    public sealed record IntoFund(
        IatiTransaction Type, LocalDate Date, Money Value, string Description, Guid FundId, Guid? ContributionId = null, string? Provider = null)
        : IatiTreatment;

    /// <summary>
    /// Money between a fund and a package: committed, disbursed, refunded, or spent by an implementing organisation
    /// (<paramref name="Spender"/>, who is then the provider). Reported on the package's activity.
    /// </summary>
    public sealed record OfPackage(
        IatiTransaction Type, LocalDate Date, Money Value, string Description, Guid FundId, Guid PackageId, string? Receiver = null,
        string? Spender = null) : IatiTreatment;
}

/// <summary>How the ledger's figures read in the descriptions it publishes.</summary>
public static class Wording
{
    /// <summary>"VoterRegistration" as "voter registration".</summary>
    public static string Words<TEnum>(TEnum value) where TEnum : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : i == 0 ? char.ToLowerInvariant(c).ToString() : c.ToString()));

    public static string Percent(decimal percent) => $"{percent.ToString("0.##", CultureInfo.InvariantCulture)}%";

    public static string Amount(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture);
}
