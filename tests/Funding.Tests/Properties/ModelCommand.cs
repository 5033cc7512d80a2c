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

    public sealed record Deposit(string Reference, string Currency, decimal Amount, int DayOfYear) : ModelCommand
    {
        public RecordDeposit ToCommand() => new(Reference, FundId, "Donor " + Reference, In(Amount, Currency), null, Day(DayOfYear));
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
}
