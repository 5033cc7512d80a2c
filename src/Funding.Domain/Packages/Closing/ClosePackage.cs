using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance.Returning;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.Packages.Closing;

/// <summary>
/// Close the package, leaving nothing open: every allocation transferred or returned to its fund, every transfer
/// spent or refunded. With <see cref="ReturnWhatIsLeft"/>, the allocations not transferred go back to their funds in
/// the same step, first.
/// </summary>
public sealed record ClosePackage(LocalDate? ClosedOn, bool? ReturnWhatIsLeft = null) : ICommand, IMovesMoneyOfPackageFunds
{
    bool IMovesMoneyOfPackageFunds.MovesFundMoney => ReturnWhatIsLeft == true;

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (ClosedOn is null) errors.Add("closedOn", "The closing date is required.");
        else if (ClosedOn > today) errors.Add("closedOn", "A package cannot be closed on a future date.");
    }

    /// <param name="funds">The funds that allocated to the package, loaded for writing when it returns what is left.</param>
    public static Decision Decide(Package package, PackageFundingStatus? status, IReadOnlyList<Fund> funds, ClosePackage command)
    {
        if (package.Status == PackageStatus.Closed) return new Rejection("package-closed", "The package is already closed.");
        if (command.ClosedOn < package.RequestedOn)
            return new Rejection("closing-before-request", "A package cannot close before it was requested.", "closedOn");
        var holding = status?.UnspentByOrganisation.Where(x => x.Value != 0m).OrderBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => $"{x.Key} ({x.Value:#,0.00})").ToList() ?? [];
        if (holding.Count > 0)
            return new Rejection("unspent-money-held",
                $"Implementing organisations still hold unspent money: {string.Join(", ", holding)}. Record refunds or expenditure first.");

        var open = status?.Phases.Where(x => x.Allocated != x.Transferred).Select(x => $"{x.Phase} ({x.Allocated - x.Transferred:#,0.00})").ToList() ?? [];
        if (open.Count > 0 && command.ReturnWhatIsLeft != true)
            return new Rejection("allocations-open",
                $"Allocated and not transferred: {string.Join(", ", open)}. Return them to their funds first, or close with returnWhatIsLeft.");

        var returned = ReturnAllocation.EverythingOpen(funds, package.Id, "Returned on closing the package", command.ClosedOn!.Value).ToList();
        if (returned.Sum(x => x.Amount.Amount) != (status?.Phases.Sum(x => x.Allocated - x.Transferred) ?? 0m))
            return new Rejection("allocations-changed",
                "An allocation to the package was recorded while it was closing; nothing was written. Close it again.", Kind: RefusalKind.Conflict);
        return Decision.Accept([.. returned, new PackageClosed(package.Id, command.ClosedOn!.Value)]);
    }
}
