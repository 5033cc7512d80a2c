using Funding.Ledger;
using Funding.Packages;

namespace Funding.Statements;

/// <summary>
/// The statements as Excel sheets, with the CSV's columns: amounts in USD as numbers, dates as dates, and every total a
/// formula over the lines it adds up, giving the API's figure.
/// </summary>
public static class StatementSheets
{
    const string Usd = Currency.UsdCode;

    /// <summary>The pooled-fund layout: each total is worked out from the lines above it, as the statement defines it.</summary>
    public static StatementWorkbook Fund(this StatementWorkbook book, FundStatementReport s) =>
        book.Sheet<StatementCsv.FundLine>("Fund statement", sheet =>
        {
            sheet.Text("Line", x => x.Line).Money("Usd", x => x.Usd, Usd);
            SheetRow Line(string line, decimal usd) => sheet.Row(new(line, usd));
            SheetRow Sum(string line, decimal usd, SheetFormula formula) => sheet.Row(new(line, usd), formula);

            var contributions = Line("Contributions", s.Contributions);
            var interest = Line("Interest", s.Interest);
            var otherIncome = Line("Other income", s.OtherIncome);
            var sources = Sum("Total sources", s.TotalSources, contributions + interest + otherIncome);
            var transferred = Line("Transferred to implementing organisations", s.TransferredToImplementingOrganisations);
            var refunds = Line("Refunds", s.Refunds);
            var netFunded = Sum("Net funded amount", s.NetFundedAmount, transferred - refunds);
            var fees = Line("Administrative agent fees", s.AdministrativeAgentFees);
            var uses = Sum("Total uses", s.TotalUses, netFunded + fees);
            var withAgent = Sum("Balance with administrative agent", s.BalanceWithAdministrativeAgent, sources - uses);
            var expenditure = Line("Expenditure", s.Expenditure);
            var withOrganisations = Sum("Balance with implementing organisations", s.BalanceWithImplementingOrganisations, netFunded - expenditure);
            Sum("Total balance", s.TotalBalance, withAgent + withOrganisations);
            Line("Allocated, not yet transferred", s.AllocatedNotYetTransferred);
            Line("Receivables outstanding", s.ReceivablesOutstanding);
            Line("Outstanding pledges (indicative)", s.OutstandingPledges);
            Line("Realised exchange gains and losses", s.RealisedExchangeGainsAndLosses);
            Line("Unrealised exchange gains and losses", s.UnrealisedExchangeGainsAndLosses);
        });

    public static StatementWorkbook TrialBalance(this StatementWorkbook book, TrialBalanceReport balance) =>
        book.Sheet<TrialBalanceLine>("Trial balance", sheet => sheet
            .Number("Code", x => x.Code)
            .Text("Account", x => x.Account.ToString())
            .Money("Debit", x => x.Debit, Usd)
            .Money("Credit", x => x.Credit, Usd)
            .Rows(balance.Lines)
            .Total("Total"));

    /// <summary>
    /// Flows (pledged, signed, received) add up in the total row; the outstanding amounts are balances at each year's
    /// end, which do not add up across years, so the total leaves them empty.
    /// </summary>
    public static StatementWorkbook Donors(this StatementWorkbook book, IEnumerable<DonorStatementLine> lines, Func<Guid, string> fundCode) =>
        book.Sheet<DonorStatementLine>("Donor statement", sheet => sheet
            .Text("Donor", x => x.Donor)
            .Text("Fund", x => fundCode(x.FundId))
            .Number("Year", x => x.Year)
            .Money("Pledged", x => x.Pledged, Usd)
            .Money("Signed", x => x.Signed, Usd)
            .Money("Received", x => x.Received, Usd)
            .Money("OutstandingReceivable", x => x.OutstandingReceivable, Usd, summed: false)
            .Money("OutstandingPledge", x => x.OutstandingPledge, Usd, summed: false)
            .Rows(lines)
            .Total("Total"));

    /// <summary>
    /// One row per package and approved phase, in the sections the package totals keep apart, each with its own total:
    /// open packages' phases not yet ended on the day flags are judged on, phases already ended, closed packages; then
    /// the packages not yet approved, which have no phases and so no amounts.
    /// </summary>
    public static StatementWorkbook Packages(this StatementWorkbook book, IReadOnlyList<PackageStatusReport> packages, NodaTime.LocalDate asOf) =>
        book.Sheet<(PackageStatusReport Package, PhaseStatusReport? Phase)>("Package status", sheet =>
        {
            sheet.Text("Package", x => x.Package.Code).Text("Country", x => x.Package.Country)
                .Text("Stage", x => x.Package.Stage.ToString()).Text("Status", x => x.Package.Status.ToString())
                .Text("Flags", x => string.Join(" ", x.Package.Flags)).Text("Phase", x => x.Phase?.Phase.ToString())
                .Date("StartsOn", x => x.Phase?.StartsOn).Date("EndsOn", x => x.Phase?.EndsOn)
                .Money("Requirement", x => x.Phase?.Approved, Usd).Money("Allocated", x => x.Phase?.Allocated, Usd)
                .Money("Transferred", x => x.Phase?.Transferred, Usd).Money("Refunded", x => x.Phase?.Refunded, Usd)
                .Money("Spent", x => x.Phase?.Spent, Usd).Money("Gap", x => x.Phase?.Gap, Usd)
                .Number("CoveragePercent", x => x.Phase?.CoveragePercent, "0.0").Boolean("AtRisk", x => x.Phase?.AtRisk);

            // A package with no phases (not yet approved) has one row with no phase, as in the CSV.
            var rows = packages.SelectMany(p => p.Phases.Count == 0 ? [(p, null)] : p.Phases.Select(x => (Package: p, Phase: (PhaseStatusReport?)x))).ToList();
            sheet.Heading("Open packages, phases not yet ended")
                .Rows(rows.Where(x => x.Package.Stage == PackageStatus.Approved && !(x.Phase?.EndsOn < asOf)))
                .Total("Total open packages, phases not yet ended");
            sheet.Heading("Phases already ended")
                .Rows(rows.Where(x => x.Package.Stage == PackageStatus.Approved && x.Phase?.EndsOn < asOf))
                .Total("Total phases already ended");
            sheet.Heading("Closed packages")
                .Rows(rows.Where(x => x.Package.Stage == PackageStatus.Closed))
                .Total("Total closed packages");
            sheet.Heading("Not yet approved")
                .Rows(rows.Where(x => x.Package.Stage is PackageStatus.Requested or PackageStatus.NeedsAssessed));
        });
}
