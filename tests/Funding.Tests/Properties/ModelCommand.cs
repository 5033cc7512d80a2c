using Funding.Contributions;
using Funding.Contributions.Pledging;
using Funding.Contributions.Receiving;
using Funding.Contributions.Reducing;
using Funding.Contributions.Revaluing;
using Funding.Contributions.Signing;
using Funding.Funds.EarningInterest;
using Funding.PackageFinance;
using Funding.PackageFinance.Allocating;
using Funding.PackageFinance.Refunding;
using Funding.PackageFinance.ReportingExpenditure;
using Funding.PackageFinance.Transferring;
using Funding.Packages;
using Funding.Shared;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Properties;

/// <summary>A command as the property tests generate it: valid or not, in any currency, on any day of 2024.</summary>
public abstract record ModelCommand
{
    static LocalDate Day(int dayOfYear) => D(2024, 1, 1).PlusDays(dayOfYear);
    static MoneyInput In(decimal amount, string currency) => new(amount, currency);

    public sealed record Pledge(string Reference, string Currency, decimal Amount, int DayOfYear) : ModelCommand
    {
        public RecordPledge ToCommand() => new(Reference, FundId, "Donor " + Reference, In(Amount, Currency), null, Day(DayOfYear), null);
    }

    public sealed record Sign(string Reference, string Currency, decimal Amount, int DayOfYear) : ModelCommand
    {
        public SignAgreement ToCommand() => new(Reference, FundId, "Donor " + Reference, In(Amount, Currency), null, Day(DayOfYear), null, null);
    }

    /// <param name="TransactionReference">From a small pool, so that a bank reference is sometimes given twice.</param>
    public sealed record Deposit(string Reference, string Currency, decimal Amount, int DayOfYear, string TransactionReference) : ModelCommand
    {
        public RecordDeposit ToCommand() => new(Reference, FundId, "Donor " + Reference, In(Amount, Currency), null, Day(DayOfYear), null, TransactionReference);
    }

    public sealed record ReduceAgreement(string Reference, decimal Amount, int DayOfYear) : ModelCommand
    {
        public Funding.Contributions.Reducing.ReduceAgreement ToCommand(Contribution existing) =>
            new(In(Amount, existing.Currency), "donor's letter", Day(DayOfYear));
    }

    /// <summary>A second finance officer confirms the pending reduction; sometimes the requester tries to, which four eyes refuses.</summary>
    public sealed record ConfirmReduction(string Reference, bool SamePerson) : ModelCommand;

    public sealed record Interest(decimal Amount, int DayOfYear) : ModelCommand
    {
        public RecordInterest ToCommand() => new(In(Amount, "USD"), Day(DayOfYear));
    }

    public sealed record Allocate(ElectoralPhase Phase, decimal Amount, int DayOfYear) : ModelCommand
    {
        public AllocateFunds ToCommand() => new(FundId, Phase, In(Amount, "USD"), Day(DayOfYear));
    }

    public sealed record ReturnAllocation(ElectoralPhase Phase, decimal Amount, int DayOfYear) : ModelCommand
    {
        public Funding.PackageFinance.Returning.ReturnAllocation ToCommand() => new(FundId, Phase, In(Amount, "USD"), "not needed", Day(DayOfYear));
    }

    /// <summary>The division asks to set one phase's budget (the others as they stand); the focal point approves it next.</summary>
    public sealed record RequestRevision(ElectoralPhase Phase, decimal Budget, int DayOfYear) : ModelCommand
    {
        public Funding.Packages.Revising.RequestBudgetRevision ToCommand(Package package) => new(
            package.ApprovedPhases.Select(p => new PhaseBudgetInput(p.Phase, p.StartsOn, p.EndsOn, In(p.Phase == Phase ? Budget : p.Budget.Amount, "USD"))).ToList(),
            "revised", Day(DayOfYear));
    }

    /// <summary>Sometimes the person who asked tries to approve it, which four eyes refuses.</summary>
    public sealed record ApproveRevision(bool SamePerson, int DayOfYear) : ModelCommand
    {
        public Funding.Packages.Revising.ApproveBudgetRevision ToCommand() => new(Day(DayOfYear));
    }

    /// <summary>The package closes, returning what is left of its allocations; only ever the script's last command.</summary>
    public sealed record Close(int DayOfYear) : ModelCommand
    {
        public Funding.Packages.Closing.ClosePackage ToCommand() => new(Day(DayOfYear), ReturnWhatIsLeft: true);
    }

    public sealed record Transfer(ElectoralPhase Phase, string Organisation, decimal Programmable, int DayOfYear) : ModelCommand
    {
        public TransferFunds ToCommand() => new(FundId, Phase, Organisation, In(Programmable, "USD"), null, Day(DayOfYear));
    }

    public sealed record Expenditure(ElectoralPhase Phase, string Organisation, decimal Cumulative, bool Certified, int DayOfYear) : ModelCommand
    {
        public ReportExpenditure ToCommand() => new(FundId, Phase, Organisation,
            Certified ? ExpenditureBasis.Certified : ExpenditureBasis.Interim, In(Cumulative, "USD"), Day(DayOfYear));
    }

    public sealed record Refund(ElectoralPhase Phase, string Organisation, decimal Amount, int DayOfYear) : ModelCommand
    {
        public RecordRefund ToCommand() => new(FundId, Phase, Organisation, In(Amount, "USD"), Day(DayOfYear));
    }

    public sealed record Revalue(int Month) : ModelCommand
    {
        public RevalueReceivables ToCommand()
        {
            var first = new LocalDate(2024, Month, 1);
            return new RevalueReceivables(first.PlusMonths(1).PlusDays(-1));
        }
    }

    /// <summary>A finance officer asks to close a month of 2024 and a second one (or the same, to be refused) confirms.</summary>
    public sealed record CloseMonth(int Month, bool SamePerson) : ModelCommand
    {
        public Funding.Periods.Closing.RequestMonthClose ToCommand() => new($"2024-{Month:00}");
    }

    /// <summary>An administrator reopens a month of 2024.</summary>
    public sealed record ReopenMonth(int Month) : ModelCommand
    {
        public Funding.Periods.Reopening.ReopenMonth ToCommand() => new($"2024-{Month:00}", "a late bank statement");
    }
}
