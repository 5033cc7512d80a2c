using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.Packages.Closing;

/// <summary>Close the package. Money still held unspent by an implementing organisation must be refunded or reported spent first.</summary>
public sealed record ClosePackage(LocalDate? ClosedOn) : ICommand
{
    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (ClosedOn is null) errors.Add("closedOn", "The closing date is required.");
    }

    public static Decision Decide(Package package, PackageFundingStatus? status, ClosePackage command)
    {
        if (package.Status == PackageStatus.Closed) return new Rejection("package-closed", "The package is already closed.");
        if (command.ClosedOn < package.RequestedOn)
            return new Rejection("closing-before-request", "A package cannot close before it was requested.", "closedOn");
        var holding = status?.UnspentByOrganisation.Where(x => x.Value != 0m).Select(x => $"{x.Key} ({x.Value:#,0.00})").ToList() ?? [];
        if (holding.Count > 0)
            return new Rejection("unspent-money-held",
                $"Implementing organisations still hold unspent money: {string.Join(", ", holding)}. Record refunds or expenditure first.");
        return Decision.Accept(new PackageClosed(package.Id, command.ClosedOn!.Value));
    }
}
