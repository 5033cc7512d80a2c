using System.Text.Json.Serialization;
using Funding.Contributions;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.Funds.Closing;

public enum ClosureStage
{
    Operational,
    Financial,
}

/// <summary>A donor's instruction for their share of the balance: moved to another fund instead of refunded.</summary>
public sealed record BalanceInstruction(string? Donor, Guid? MoveToFundId);

/// <summary>What a donor put into the fund: the USD value of their deposits, and the currencies they paid in.</summary>
public sealed record DonorDeposits(string Donor, decimal Usd, IReadOnlyList<string> Currencies)
{
    public static IReadOnlyList<DonorDeposits> Of(IEnumerable<Contribution> contributions) => contributions
        .Where(x => x.ReceivedUsd != 0m)
        .GroupBy(x => x.Donor, StringComparer.Ordinal)
        .Select(g => new DonorDeposits(g.Key, g.Sum(x => x.ReceivedUsd), g.Select(x => x.Currency).Distinct().Order(StringComparer.Ordinal).ToList()))
        // The largest first: the last donor takes what rounding leaves.
        .OrderByDescending(x => x.Usd).ThenBy(x => x.Donor, StringComparer.Ordinal)
        .ToList();

    /// <summary>A donor who paid in one currency is refunded in it; one who paid in several, in USD.</summary>
    public string RefundCurrency => Currencies.Count == 1 ? Currencies[0] : Currency.UsdCode;
}

/// <summary>
/// Close a fund: operationally first (no new contributions or allocations), then financially, once nothing is
/// left allocated, held by implementing organisations, or owed by donors. At financial closure the balance with the
/// administrative agent goes back to the donors in proportion to the USD value of what each deposited (or, as a donor
/// instructs, to another fund), so the fund ends at exactly zero.
/// </summary>
public sealed record CloseFund(ClosureStage? Stage, LocalDate? ClosedOn, IReadOnlyList<BalanceInstruction>? Instructions = null) : ICommand, IFeedsOtherFunds
{
    [JsonIgnore]
    public IEnumerable<Guid> OtherFunds => (Instructions ?? []).Select(x => x.MoveToFundId).OfType<Guid>().Where(x => x != Guid.Empty);

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (Stage is null) errors.Add("stage", "Say which closure: Operational or Financial.");
        if (ClosedOn is null) errors.Add("closedOn", "The closing date is required.");
        else if (ClosedOn > today) errors.Add("closedOn", "A fund cannot close on a future date.");
        if (Instructions is not { Count: > 0 } instructions) return;
        if (Stage == ClosureStage.Operational) errors.Add("instructions", "Donors' instructions for the balance belong to the financial closure.");
        for (var i = 0; i < instructions.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(instructions[i].Donor)) errors.Add($"instructions[{i}].donor", "Name the donor whose share the instruction moves.");
            if (instructions[i].MoveToFundId is null || instructions[i].MoveToFundId == Guid.Empty)
                errors.Add($"instructions[{i}].moveToFundId", "Name the fund the donor's share moves to.");
        }

        foreach (var twice in instructions.Where(x => x.Donor is not null).GroupBy(x => x.Donor!.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add("instructions", $"{twice.Key} has more than one instruction: give one per donor.");
    }

    /// <param name="deposits">What each donor deposited into the fund.</param>
    /// <param name="otherFunds">The funds the instructions name, loaded for writing.</param>
    public static Decision Decide(
        Fund fund, FundStatement statement, IReadOnlyList<DonorDeposits> deposits, IReadOnlyList<Fund> otherFunds, OperationalRates? rates, CloseFund command)
    {
        var closedOn = command.ClosedOn!.Value;
        if (closedOn < fund.EstablishedOn)
            return new Rejection("before-establishment", "A fund cannot close before it was established.", "closedOn");
        switch (command.Stage!.Value)
        {
            case ClosureStage.Operational when fund.Status != FundStatus.Open:
                return new Rejection("already-closed", $"{fund.Code} is already {fund.Status}.");
            case ClosureStage.Operational:
                return Decision.Accept(new FundOperationallyClosed(fund.Id, closedOn));
            case ClosureStage.Financial when fund.Status == FundStatus.Open:
                return new Rejection("operational-closure-first", "Close the fund operationally before closing it financially.", "stage");
            case ClosureStage.Financial when fund.Status == FundStatus.FinanciallyClosed:
                return new Rejection("already-closed", $"{fund.Code} is already financially closed.");
            default:
                var open = new List<string>();
                if (statement.AllocatedNotYetTransferred != 0m) open.Add($"allocations not yet transferred {statement.AllocatedNotYetTransferred:#,0.00}");
                if (statement.BalanceWithImplementingOrganisations != 0m) open.Add($"balance with implementing organisations {statement.BalanceWithImplementingOrganisations:#,0.00}");
                if (statement.ReceivablesOutstanding != 0m) open.Add($"receivables {statement.ReceivablesOutstanding:#,0.00}");
                if (open.Count > 0) return new Rejection("balances-open", $"{fund.Code} still has {string.Join("; ", open)}.");
                return WindUp(fund, statement.BalanceWithAdministrativeAgent, deposits, otherFunds, rates, command);
        }
    }

    /// <summary>The balance shared among the donors, each share rounded to the cent and the last taking the rest.</summary>
    static Decision WindUp(Fund fund, decimal balance, IReadOnlyList<DonorDeposits> deposits, IReadOnlyList<Fund> otherFunds, OperationalRates? rates, CloseFund command)
    {
        var closedOn = command.ClosedOn!.Value;
        var instructions = (command.Instructions ?? []).ToDictionary(x => x.Donor!.Trim(), x => x.MoveToFundId!.Value, StringComparer.Ordinal);
        foreach (var (donor, _) in instructions.Where(x => deposits.All(d => d.Donor != x.Key)))
            return new Rejection("unknown-donor", $"{donor} deposited nothing into {fund.Code}: it has no share to move.", "instructions");
        foreach (var (_, to) in instructions)
        {
            var target = otherFunds.FirstOrDefault(x => x.Id == to);
            if (target is null) return Rejection.NotFound("instructions", "fund");
            if (target.Id == fund.Id) return new Rejection("move-to-same-fund", "A share cannot move to the fund being closed.", "instructions");
            if (target.Status != FundStatus.Open) return new Rejection("fund-closed", $"{target.Code} is closed: it cannot receive a share.", "instructions");
        }

        if (balance < 0m) return new Rejection("negative-balance", $"{fund.Code}'s balance is {balance:#,0.00}: it cannot be shared out.");
        var events = new List<ILedgerEvent>();
        var total = deposits.Sum(x => x.Usd);
        if (balance > 0m && total <= 0m)
            return new Rejection("balance-without-donors", $"{fund.Code} holds {balance:#,0.00} but no donor deposited into it: there is no one to refund.");

        var left = balance;
        for (var i = 0; i < deposits.Count && balance > 0m; i++)
        {
            var donor = deposits[i];
            var share = i == deposits.Count - 1 ? left : Money.RoundToCents(balance * donor.Usd / total);
            left -= share;
            if (share == 0m) continue;
            if (instructions.TryGetValue(donor.Donor, out var to))
            {
                var target = otherFunds.Single(x => x.Id == to);
                events.Add(new BalanceMovedToFund(fund.Id, donor.Donor, target.Id, target.Code, Money.Usd(share), closedOn));
                events.Add(new BalanceReceivedFromFund(target.Id, donor.Donor, fund.Id, fund.Code, Money.Usd(share), closedOn));
                continue;
            }

            var currency = donor.RefundCurrency;
            var rate = currency == Currency.UsdCode ? 1m : rates?.InForce(currency, closedOn)?.UnitsPerUsd;
            if (rate is null)
                return new Rejection("no-rate-in-force", $"No UN operational rate for {currency} is in force on {closedOn:yyyy-MM-dd}: {donor.Donor} is refunded in it.", "closedOn");
            var paid = Money.FromUsd(share, rate.Value, currency);
            events.Add(new BalanceRefundedToDonor(fund.Id, donor.Donor, Money.Usd(share), paid, rate.Value, Money.Usd(donor.Usd), closedOn));
        }

        events.Add(new FundFinanciallyClosed(fund.Id, closedOn));
        return Decision.Accept([.. events]);
    }
}
