using System.Globalization;
using System.Xml.Linq;
using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.ReferenceData;
using NodaTime;

namespace Funding.Transparency;

/// <summary>Who publishes: the organisation's IATI identifier and name. Bound from "Funding:Iati".</summary>
public sealed class IatiOptions
{
    /// <summary>The reporting organisation's identifier as registered with IATI; every activity identifier starts with it.</summary>
    public string ReportingOrgRef { get; set; } = "XI-IATI-UNEAD";

    /// <summary>IATI OrganisationType; 40 is Multilateral.</summary>
    public string ReportingOrgType { get; set; } = "40";

    public string ReportingOrgName { get; set; } = "United Nations Electoral Assistance Division";
}

/// <summary>What an export is made from: the funds and packages as they stand, and the events behind their money.</summary>
public sealed record IatiLedger(IReadOnlyList<Fund> Funds, IReadOnlyList<Package> Packages, IReadOnlyList<LoggedEvent> Events);

/// <summary>
/// The ledger as IATI 2.03 activities. Every fund is an activity (hierarchy 1) that reports the money coming in from
/// donors: pledges (13), commitments (11) and cash (1). Every package is an activity (hierarchy 2) that reports the
/// money going out: allocations (2), transfers (3, refunds negative) and expenditure (4). Each flow appears once, so a
/// deposit into a basket fund is reported at the fund and never again at the packages it pays for.
/// Values are in their own currency with their value date; nothing dated after today is reported as a transaction.
/// </summary>
public static partial class IatiActivities
{
    public const string Version = "2.03";

    // IATI codelists (2.03); transaction types are the ledger's own IatiTransaction.
    public static class OrganisationRole
    {
        public const string Funding = "1";
        public const string Accountable = "2";
        public const string Extending = "3";
        public const string Implementing = "4";
    }

    /// <summary>DAC 5-digit purpose code 15151, Elections.</summary>
    public const string ElectionsSector = "15151";

    /// <summary>IATI identifiers of the implementing organisations the field works with (their DAC channel codes).</summary>
    static readonly Dictionary<string, string> KnownOrganisations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UNDP"] = "XM-DAC-41114",
        ["UN Women"] = "XM-DAC-41146",
        ["IOM"] = "XM-DAC-47066",
        ["UNOPS"] = "XM-DAC-41502",
    };

    const string MultilateralType = "40";

    /// <summary>Every fund and every package of the ledger, as the reporting organisation's file.</summary>
    public static XDocument Organisation(IatiLedger ledger, IatiOptions options, LocalDate today, Instant generatedAt)
    {
        var flows = Flows.Of(ledger, today);
        var activities = ledger.Funds.OrderBy(x => x.Code, StringComparer.Ordinal).Select(x => FundActivity(x, ledger, flows, options, today))
            .Concat(ledger.Packages.OrderBy(x => x.Code, StringComparer.Ordinal).Select(x => PackageActivity(x, ledger, flows, options)));
        return Document(activities, generatedAt);
    }

    /// <summary>One package's activity alone.</summary>
    public static XDocument ForPackage(Package package, IatiLedger ledger, IatiOptions options, LocalDate today, Instant generatedAt) =>
        Document([PackageActivity(package, ledger, Flows.Of(ledger, today), options)], generatedAt);

    public static string IdentifierOf(IatiOptions options, string code) => $"{options.ReportingOrgRef}-{code}";

    static XDocument Document(IEnumerable<XElement> activities, Instant generatedAt) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement("iati-activities",
            new XAttribute("version", Version),
            new XAttribute("generated-datetime", DateTime(generatedAt)),
            activities));

    static XElement FundActivity(Fund fund, IatiLedger ledger, Flows flows, IatiOptions options, LocalDate today)
    {
        var identifier = IdentifierOf(options, fund.Code);
        var incoming = flows.IntoFund.GetValueOrDefault(fund.Id) ?? [];
        var packagesFunded = flows.OutOfFund.GetValueOrDefault(fund.Id) ?? [];
        var closedOn = flows.FinanciallyClosedOn.GetValueOrDefault(fund.Id);
        var countries = fund.EligibleCountries.Count == 0
            ? "any country"
            : string.Join(", ", fund.EligibleCountries.Select(x => Countries.NamesByCode.GetValueOrDefault(x, x)));

        return Activity(options, identifier, hierarchy: 1, lastUpdated: LastUpdated(flows, fund.Id, incoming.Concat(packagesFunded)),
            title: fund.Name,
            description: $"{KindInWords(fund.Kind)} ({fund.Code}) funding electoral assistance in {countries}. " +
                         $"Administrative agent fee {Wording.Percent(fund.AdministrativeAgentFeePercent)}, indirect cost {Wording.Percent(fund.DefaultIndirectCostPercent)}.",
            participants:
            [
                .. incoming.Select(x => x.Donor).OfType<string>().Distinct().Order(StringComparer.Ordinal)
                    .Select(donor => Participant(OrganisationRole.Funding, donor)),
                Participant(OrganisationRole.Accountable, options.ReportingOrgName, options.ReportingOrgRef, options.ReportingOrgType),
                Participant(OrganisationRole.Extending, fund.Name, activityId: identifier),
                .. packagesFunded.Select(x => x.Receiver).OfType<string>().Distinct().Order(StringComparer.Ordinal)
                    .Select(organisation => Implementer(organisation)),
            ],
            status: fund.Status switch
            {
                FundStatus.Open => "2", // Implementation
                FundStatus.OperationallyClosed => "3", // Finalisation
                _ => "4", // Closed
            },
            dates:
            [
                ActivityDate(fund.EstablishedOn <= today ? "2" : "1", fund.EstablishedOn),
                .. closedOn is { } closed ? [ActivityDate("4", closed)] : Array.Empty<XElement>(),
            ],
            country: fund.EligibleCountries.Count == 1 ? fund.EligibleCountries[0] : null,
            budgets: [],
            plannedDisbursements: [],
            transactions: incoming.Select(x => Transaction(x, options)),
            related: packagesFunded.Select(x => x.PackageId).OfType<Guid>().Distinct()
                .Select(id => ledger.Packages.FirstOrDefault(p => p.Id == id)).OfType<Package>().OrderBy(x => x.Code, StringComparer.Ordinal)
                .Select(package => RelatedActivity(IdentifierOf(options, package.Code), "2"))); // child
    }

    static XElement PackageActivity(Package package, IatiLedger ledger, Flows flows, IatiOptions options)
    {
        var identifier = IdentifierOf(options, package.Code);
        var outgoing = flows.OfPackage.GetValueOrDefault(package.Id) ?? [];
        var funds = outgoing.Select(x => x.FundId).Distinct().Select(id => ledger.Funds.FirstOrDefault(f => f.Id == id)).OfType<Fund>()
            .OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
        // The package is funded by the donors of the funds that pay for it, and by whoever earmarked money to it.
        var donors = funds.SelectMany(f => flows.IntoFund.GetValueOrDefault(f.Id) ?? []).Select(x => x.Donor)
            .Concat(flows.Earmarked.GetValueOrDefault(package.Id) ?? [])
            .OfType<string>().Distinct().Order(StringComparer.Ordinal);
        var implementers = package.ImplementingOrganisations.Concat(outgoing.Select(x => x.Receiver).OfType<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var approved = package.Status is PackageStatus.Approved or PackageStatus.Closed;
        var phases = approved ? package.ApprovedPhases : package.RecommendedPhases;
        var firstTransfer = outgoing.Where(x => x.Type == IatiTransaction.Disbursement && x.Value.IsPositive).Select(x => (LocalDate?)x.Date).Min();

        return Activity(options, identifier, hierarchy: 2, lastUpdated: LastUpdated(flows, package.Id, outgoing),
            title: $"Electoral assistance to {CountryName(package.Country)}: {package.ElectoralProcess}",
            description: PackageDescription(package),
            participants:
            [
                .. donors.Select(donor => Participant(OrganisationRole.Funding, donor)),
                Participant(OrganisationRole.Accountable, options.ReportingOrgName, options.ReportingOrgRef, options.ReportingOrgType),
                .. funds.Select(fund => Participant(OrganisationRole.Extending, fund.Name, activityId: IdentifierOf(options, fund.Code))),
                .. implementers.Select(organisation => Implementer(organisation)),
            ],
            status: package.Status switch
            {
                PackageStatus.Requested or PackageStatus.NeedsAssessed => "1", // Pipeline/identification
                PackageStatus.Approved => "2", // Implementation
                _ => "4", // Closed
            },
            dates: PackageDates(package, phases, firstTransfer),
            country: package.Country,
            budgets: phases.SelectMany(phase => Periods(phase).Select(period => Budget(period, approved ? "2" : "1", package.Revisions > 0))), // committed : indicative
            plannedDisbursements: approved
                ? package.ApprovedPhases.SelectMany(Periods).Select(period => PlannedDisbursement(period, implementers is [var only] ? only : null))
                : [],
            transactions: outgoing.Select(x => Transaction(x, options)),
            related: funds.Select(fund => RelatedActivity(IdentifierOf(options, fund.Code), "1"))); // parent
    }

    static XElement Activity(
        IatiOptions options, string identifier, int hierarchy, Instant? lastUpdated, string title, string description,
        IEnumerable<XElement> participants, string status, IEnumerable<XElement> dates, string? country, IEnumerable<XElement> budgets,
        IEnumerable<XElement> plannedDisbursements, IEnumerable<XElement> transactions, IEnumerable<XElement> related) =>
        // The schema fixes the order of these elements.
        new("iati-activity",
            lastUpdated is { } updated ? new XAttribute("last-updated-datetime", DateTime(updated)) : null,
            new XAttribute(XNamespace.Xml + "lang", "en"),
            new XAttribute("default-currency", Currency.UsdCode),
            new XAttribute("hierarchy", hierarchy),
            new XElement("iati-identifier", identifier),
            new XElement("reporting-org",
                new XAttribute("ref", options.ReportingOrgRef), new XAttribute("type", options.ReportingOrgType), Narrative(options.ReportingOrgName)),
            new XElement("title", Narrative(title)),
            new XElement("description", new XAttribute("type", "1"), Narrative(description)),
            participants,
            new XElement("activity-status", new XAttribute("code", status)),
            dates,
            country is null ? null : new XElement("recipient-country", new XAttribute("code", country), new XAttribute("percentage", 100)),
            new XElement("sector", new XAttribute("vocabulary", "1"), new XAttribute("code", ElectionsSector), new XAttribute("percentage", 100)),
            budgets,
            plannedDisbursements,
            transactions,
            related);

    static IEnumerable<XElement> PackageDates(Package package, IReadOnlyList<PhaseBudget> phases, LocalDate? firstTransfer)
    {
        if (phases.Count > 0)
        {
            yield return ActivityDate("1", phases.Min(x => x.StartsOn)); // planned start
            if (firstTransfer is { } started) yield return ActivityDate("2", started); // actual start: money reached an implementer
            yield return ActivityDate("3", phases.Max(x => x.EndsOn)); // planned end
        }
        else
        {
            // Requested, not yet assessed: the request and election day are all that is known.
            yield return ActivityDate("1", package.RequestedOn);
            if (package.ElectionDay is { } election) yield return ActivityDate("3", election);
        }

        if (package.ClosedOn is { } closed) yield return ActivityDate("4", closed);
    }

    static string PackageDescription(Package package)
    {
        var origin = package.Origin switch
        {
            PackageOrigin.SecurityCouncilMandate => $"Mandated by Security Council resolution {package.Mandate}.",
            PackageOrigin.GeneralAssemblyMandate => $"Mandated by General Assembly resolution {package.Mandate}.",
            _ => $"Requested by {CountryName(package.Country)} on {Date(package.RequestedOn)}.",
        };
        var election = package.ElectionDay is { } day ? $" Election day {Date(day)}." : "";
        var phases = package.ApprovedPhases.Count > 0 ? package.ApprovedPhases : package.RecommendedPhases;
        var budget = phases.Count == 0
            ? ""
            : $" {(package.ApprovedPhases.Count > 0 ? "Approved" : "Recommended")} budget by phase: " +
              string.Join("; ", phases.Select(x => $"{Wording.Words(x.Phase)} {Date(x.StartsOn)} to {Date(x.EndsOn)}, USD {Wording.Amount(x.Budget.Amount)}")) + ".";
        return $"{package.ElectoralProcess} ({package.Code}). {origin}{election}{budget}";
    }

    /// <summary>A phase cut into budget periods of at most a year; the budget is shared by days, to the cent, the last period taking the rest.</summary>
    internal static IReadOnlyList<(LocalDate Start, LocalDate End, Money Value)> Periods(PhaseBudget phase)
    {
        var spans = new List<(LocalDate Start, LocalDate End)>();
        for (var start = phase.StartsOn; start <= phase.EndsOn;)
        {
            var end = LocalDate.Min(start.PlusYears(1).PlusDays(-1), phase.EndsOn);
            spans.Add((start, end));
            start = end.PlusDays(1);
        }

        var totalDays = Period.Between(phase.StartsOn, phase.EndsOn, PeriodUnits.Days).Days + 1;
        var periods = new List<(LocalDate, LocalDate, Money)>();
        var given = new Money(0m, phase.Budget.Currency);
        for (var i = 0; i < spans.Count; i++)
        {
            var days = Period.Between(spans[i].Start, spans[i].End, PeriodUnits.Days).Days + 1;
            var share = i == spans.Count - 1 ? phase.Budget - given : phase.Budget.Share(days, totalDays);
            given += share;
            periods.Add((spans[i].Start, spans[i].End, share));
        }

        return periods;
    }

    /// <param name="revised">The budget stands as a revision approved it (BudgetType 2), not as first approved (1).</param>
    static XElement Budget((LocalDate Start, LocalDate End, Money Value) period, string status, bool revised) =>
        new("budget", new XAttribute("type", revised ? "2" : "1"), new XAttribute("status", status),
            new XElement("period-start", new XAttribute("iso-date", Date(period.Start))),
            new XElement("period-end", new XAttribute("iso-date", Date(period.End))),
            Value(period.Value, period.Start));

    static XElement PlannedDisbursement((LocalDate Start, LocalDate End, Money Value) period, string? receiver) =>
        new("planned-disbursement", new XAttribute("type", "1"), // original
            new XElement("period-start", new XAttribute("iso-date", Date(period.Start))),
            new XElement("period-end", new XAttribute("iso-date", Date(period.End))),
            Value(period.Value, period.Start),
            receiver is null ? null : Organisation("receiver-org", receiver));

    static XElement Transaction(Flow flow, IatiOptions options) =>
        new("transaction", new XAttribute("ref", flow.Sequence.ToString(CultureInfo.InvariantCulture)),
            new XElement("transaction-type", new XAttribute("code", ((int)flow.Type).ToString(CultureInfo.InvariantCulture))),
            new XElement("transaction-date", new XAttribute("iso-date", Date(flow.Date))),
            Value(flow.Value, flow.Date),
            new XElement("description", Narrative(flow.Description)),
            flow.Donor is { } donor ? new XElement("provider-org", Narrative(donor)) : null,
            flow.ProvidingFund is { } fund
                ? new XElement("provider-org", new XAttribute("provider-activity-id", IdentifierOf(options, fund.Code)), Narrative(fund.Name))
                : null,
            flow.Spender is { } spender ? Organisation("provider-org", spender) : null,
            flow.Receiver is { } receiver ? Organisation("receiver-org", receiver) : null);

    static XElement Organisation(string element, string name) =>
        KnownOrganisations.TryGetValue(name, out var reference)
            ? new XElement(element, new XAttribute("ref", reference), new XAttribute("type", MultilateralType), Narrative(name))
            : new XElement(element, Narrative(name));

    static XElement Implementer(string name) =>
        KnownOrganisations.TryGetValue(name, out var reference)
            ? Participant(OrganisationRole.Implementing, name, reference, MultilateralType)
            : Participant(OrganisationRole.Implementing, name);

    static XElement Participant(string role, string name, string? reference = null, string? type = null, string? activityId = null) =>
        new("participating-org",
            reference is null ? null : new XAttribute("ref", reference),
            type is null ? null : new XAttribute("type", type),
            new XAttribute("role", role),
            activityId is null ? null : new XAttribute("activity-id", activityId),
            Narrative(name));

    static XElement ActivityDate(string type, LocalDate date) => new("activity-date", new XAttribute("type", type), new XAttribute("iso-date", Date(date)));

    static XElement RelatedActivity(string identifier, string type) => new("related-activity", new XAttribute("ref", identifier), new XAttribute("type", type));

    static XElement Value(Money money, LocalDate valueDate) =>
        new("value", new XAttribute("currency", money.Currency), new XAttribute("value-date", Date(valueDate)),
            money.Amount.ToString(CultureInfo.InvariantCulture));

    static XElement Narrative(string text) => new("narrative", text);

    static Instant? LastUpdated(Flows flows, Guid streamId, IEnumerable<Flow> activityFlows)
    {
        var times = activityFlows.Select(x => x.RecordedAt).ToList();
        if (flows.LastRecorded.TryGetValue(streamId, out var own)) times.Add(own);
        return times.Count == 0 ? null : times.Max();
    }

    static string KindInWords(FundKind kind) => kind switch
    {
        FundKind.RegularBudget => "Regular budget (assessed contributions)",
        FundKind.TrustFund => "Trust fund",
        FundKind.MultiPartnerBasketFund => "Multi-partner basket fund",
        FundKind.MissionBudget => "Mission budget",
        FundKind.PeacebuildingFund => "Peacebuilding Fund",
        FundKind.DemocracyFund => "Democracy Fund",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A fund kind the IATI export cannot describe."),
    };

    static string CountryName(string code) => Countries.NamesByCode.GetValueOrDefault(code, code);

    static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    static string DateTime(Instant instant) => instant.ToString("uuuu-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
