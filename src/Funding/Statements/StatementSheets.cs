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
    public static StatementWorkbook Fund(this StatementWorkbook book, FundStatementReport s)
    {
        var lines = FundStatementReport.Lines(s).ToDictionary(x => x.Line);
        return book.Sheet<FundStatementLine>("Fund statement", sheet =>
        {
            sheet.Text("Line", x => x.Line).Money("Usd", x => x.Usd, Usd);
            FundLayout(sheet, name => lines[name]);
        });
    }

    /// <summary>The same layout over a month or a year: each total, in each of the three columns, a formula over its lines.</summary>
    public static StatementWorkbook FundOverPeriod(this StatementWorkbook book, Periods.FundStatementPeriodReport report)
    {
        var lines = report.Lines.ToDictionary(x => x.Line);
        return book.Sheet<Periods.FundStatementPeriodLine>($"Fund statement {report.Period.Name}", sheet =>
        {
            sheet.Text("Line", x => x.Line).Money("Opening", x => x.Opening, Usd).Money("Movement", x => x.Movement, Usd).Money("Closing", x => x.Closing, Usd);
            FundLayout(sheet, name => lines[name]);
        });
    }

    /// <summary>The statement's lines in their order, each total a formula over the lines it adds up.</summary>
    static void FundLayout<T>(StatementSheet<T> sheet, Func<string, T> line)
    {
        SheetRow Line(string name) => sheet.Row(line(name));
        SheetRow Sum(string name, SheetFormula formula) => sheet.Row(line(name), formula);

        var contributions = Line("Contributions");
        var interest = Line("Interest");
        var otherIncome = Line("Other income");
        var lapsed = Line("Appropriations lapsed");
        var received = Line("Balances received from other funds");
        var sources = Sum("Total sources", contributions + interest + otherIncome - lapsed + received);
        var transferred = Line("Transferred to implementing organisations");
        var refunds = Line("Refunds");
        var netFunded = Sum("Net funded amount", transferred - refunds);
        var fees = Line("Administrative agent fees");
        var toDonors = Line("Refunds to donors");
        var movedOut = Line("Balances moved to other funds");
        var uses = Sum("Total uses", netFunded + fees + toDonors + movedOut);
        var withAgent = Sum("Balance with administrative agent", sources - uses);
        var expenditure = Line("Expenditure");
        var withOrganisations = Sum("Balance with implementing organisations", netFunded - expenditure);
        Sum("Total balance", withAgent + withOrganisations);
        Line("Allocated, not yet transferred");
        Line("Receivables outstanding");
        Line("Outstanding pledges (indicative)");
        Line("Realised exchange gains and losses");
        Line("Unrealised exchange gains and losses");
    }

    /// <summary>Every account's opening balance, the period's debits and credits, and its closing balance; SUM totals.</summary>
    public static StatementWorkbook TrialBalanceOverPeriod(this StatementWorkbook book, Periods.TrialBalancePeriodReport report) =>
        book.Sheet<Periods.TrialBalancePeriodLine>($"Trial balance {report.Period.Name}", sheet => sheet
            .Number("Code", x => x.Code)
            .Text("Account", x => x.Account.ToString())
            .Money("OpeningDebit", x => x.OpeningDebit, Usd)
            .Money("OpeningCredit", x => x.OpeningCredit, Usd)
            .Money("Debits", x => x.Debits, Usd)
            .Money("Credits", x => x.Credits, Usd)
            .Money("ClosingDebit", x => x.ClosingDebit, Usd)
            .Money("ClosingCredit", x => x.ClosingCredit, Usd)
            .Rows(report.Lines)
            .Total("Total"));

    /// <summary>
    /// One row per agreement owed: what is past due in its currency, and every bucket in USD at the rate in force, summed
    /// in the total row. An agreement with no rate in force has no USD cells; its note says why.
    /// </summary>
    public static StatementWorkbook Ageing(this StatementWorkbook book, Ageing.ReceivablesAgeingReport report) =>
        book.Sheet<Ageing.AgeingLine>("Receivables ageing", sheet => sheet
            .Text("Donor", x => x.Donor)
            .Text("Fund", x => x.Fund)
            .Text("Reference", x => x.Reference)
            .Text("Currency", x => x.Currency)
            .Date("OldestDueOn", x => x.OldestDueOn)
            .Number("DaysPastDue", x => x.DaysPastDue)
            .Number("PastDue", x => x.Amounts.PastDue, "#,##0.###")
            .Number("UnitsPerUsd", x => x.UnitsPerUsd, "0.######")
            .Money("NotYetDueUsd", x => x.Usd?.NotYetDue, Usd)
            .Money("Days0To30Usd", x => x.Usd?.Days0To30, Usd)
            .Money("Days31To90Usd", x => x.Usd?.Days31To90, Usd)
            .Money("Days91To180Usd", x => x.Usd?.Days91To180, Usd)
            .Money("Over180DaysUsd", x => x.Usd?.Over180Days, Usd)
            .Money("PastDueUsd", x => x.Usd?.PastDue, Usd)
            .Money("CarryingUsd", x => x.CarryingUsd, Usd)
            .Text("Note", x => x.NoRate)
            .Rows(report.Lines)
            .Total("Total"));

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
            .Money("RefundedAtClosure", x => x.RefundedAtClosure, Usd)
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
