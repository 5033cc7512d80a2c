namespace Funding.Ledger;

/// <summary>
/// The chart of accounts every fund keeps, in USD. Memorandum accounts track allocations, which earmark money
/// without moving it; they balance among themselves.
/// </summary>
public enum Account
{
    /// <summary>1000 Cash held by the administrative agent.</summary>
    Cash = 1000,

    /// <summary>1100 Signed contributions not yet paid, at their booked USD value.</summary>
    ReceivablesFromDonors = 1100,

    /// <summary>1200 Amounts transferred to implementing organisations and not yet spent or refunded.</summary>
    AmountsTransferred = 1200,

    /// <summary>1300 Regular-budget appropriation not yet drawn.</summary>
    AppropriationAvailable = 1300,

    /// <summary>4000 Contribution revenue, recognised when an agreement is signed or cash arrives without one.</summary>
    ContributionRevenue = 4000,

    /// <summary>4050 The balance of a financially closed fund refunded to its donors (reduces what they contributed).</summary>
    RefundsToDonors = 4050,

    /// <summary>4060 A closed fund's balance moved to another fund on a donor's instruction: debited in the fund it leaves, credited in the one it reaches.</summary>
    BalancesMovedBetweenFunds = 4060,

    /// <summary>4100 Interest earned on the fund's cash.</summary>
    Interest = 4100,

    /// <summary>4200 Regular-budget appropriations.</summary>
    Appropriations = 4200,

    /// <summary>4300 Realised exchange gains (credit) and losses (debit) on settling receivables.</summary>
    ExchangeGainsAndLosses = 4300,

    /// <summary>4310 Unrealised exchange gains (credit) and losses (debit) from revaluing open receivables.</summary>
    UnrealisedExchangeGainsAndLosses = 4310,

    /// <summary>5000 Expenditure reported by implementing organisations.</summary>
    Expenditure = 5000,

    /// <summary>5100 Administrative agent fees.</summary>
    AdministrativeAgentFees = 5100,

    /// <summary>8000 Memorandum: allocations to packages not yet transferred (debit).</summary>
    Allocations = 8000,

    /// <summary>8100 Memorandum: the fund balance those allocations earmark (credit).</summary>
    AllocationsEarmarked = 8100,
}

/// <summary>One line of a double-entry posting: a debit (positive) or a credit (negative) in USD.</summary>
public sealed record PostingLine(Account Account, decimal Amount)
{
    public static PostingLine Debit(Account account, Money amount) => new(account, UsdAmount(amount));
    public static PostingLine Credit(Account account, Money amount) => new(account, -UsdAmount(amount));

    static decimal UsdAmount(Money money) => money.IsUsd
        ? money.Amount
        : throw new MoneyException($"The ledger posts in USD; {money} must be converted first.");
}
