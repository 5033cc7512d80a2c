using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Funding.ReferenceData;
using NodaTime;
using NodaTime.Text;

namespace Funding.Tests.Transparency;

/// <summary>
/// What an IATI 2.03 file must satisfy: the official schema (structure), and the codelists and rules the schema
/// leaves to publishers. Each method returns every problem found, so a failing test shows them all.
/// </summary>
public static class IatiRules
{
    static readonly Lazy<XmlSchemaSet> Schemas = new(() =>
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        set.Add(null, Path.Combine(AppContext.BaseDirectory, "iati-2.03", "iati-activities-schema.xsd"));
        set.Compile();
        return set;
    });

    public static List<string> SchemaErrors(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} at {e.Exception.LineNumber}:{e.Exception.LinePosition}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }

        return errors;
    }

    // IATI codelists, version 2.03.
    static readonly HashSet<string> TransactionTypes = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"];
    static readonly HashSet<string> OrganisationRoles = ["1", "2", "3", "4"];
    static readonly HashSet<string> OrganisationTypes = ["10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"];
    static readonly HashSet<string> ActivityStatuses = ["1", "2", "3", "4", "5", "6"];
    static readonly HashSet<string> ActivityDateTypes = ["1", "2", "3", "4"];
    static readonly HashSet<string> BudgetTypes = ["1", "2"];
    static readonly HashSet<string> BudgetStatuses = ["1", "2"];
    static readonly HashSet<string> DescriptionTypes = ["1", "2", "3", "4"];
    static readonly HashSet<string> RelatedActivityTypes = ["1", "2", "3", "4", "5"];
    static readonly HashSet<string> PlannedDisbursementTypes = ["1", "2"];

    // DAC 5-digit purpose codes of 151, Government and civil society (vocabulary 1).
    static readonly HashSet<string> GovernmentAndCivilSocietySectors =
    [
        "15110", "15111", "15112", "15113", "15114", "15116", "15117", "15118", "15119", "15121", "15122", "15123", "15124", "15125",
        "15126", "15127", "15130", "15142", "15143", "15144", "15150", "15151", "15152", "15153", "15154", "15155", "15156", "15160",
        "15170", "15180", "15185", "15190", "15196",
    ];

    /// <summary>Codelist values, dates and sums the schema does not check.</summary>
    public static List<string> CodelistAndDateProblems(XDocument document, LocalDate today)
    {
        var problems = new List<string>();
        var reportingOrgs = new HashSet<string>();
        foreach (var activity in document.Root!.Elements("iati-activity"))
        {
            var id = activity.Element("iati-identifier")?.Value ?? "(no identifier)";
            void Check(bool ok, string problem)
            {
                if (!ok) problems.Add($"{id}: {problem}");
            }

            void Code(XElement element, string attribute, HashSet<string> codelist) =>
                Check(element.Attribute(attribute) is { } a && codelist.Contains(a.Value),
                    $"<{element.Name}> @{attribute}='{element.Attribute(attribute)?.Value}' is not in its codelist");

            var reportingOrg = activity.Element("reporting-org")!;
            reportingOrgs.Add(reportingOrg.Attribute("ref")!.Value);
            Check(id.StartsWith(reportingOrg.Attribute("ref")!.Value + "-", StringComparison.Ordinal), "the identifier does not start with the reporting org's ref");
            Code(reportingOrg, "type", OrganisationTypes);
            Check(activity.Attribute("default-currency") is { } dc && Funding.Ledger.Currency.TryFind(dc.Value, out _), "default-currency is not ISO 4217");

            foreach (var org in activity.Elements("participating-org"))
            {
                Code(org, "role", OrganisationRoles);
                if (org.Attribute("type") is not null) Code(org, "type", OrganisationTypes);
            }

            foreach (var description in activity.Elements("description")) Code(description, "type", DescriptionTypes);
            Code(activity.Element("activity-status")!, "code", ActivityStatuses);
            foreach (var date in activity.Elements("activity-date"))
            {
                Code(date, "type", ActivityDateTypes);
                if (date.Attribute("type")!.Value is "2" or "4") Check(Date(date, "iso-date") <= today, $"actual date {date.Attribute("iso-date")!.Value} is in the future");
            }

            foreach (var country in activity.Elements("recipient-country"))
                Check(Countries.IsKnown(country.Attribute("code")!.Value), $"recipient-country '{country.Attribute("code")!.Value}' is not ISO 3166-1 alpha-2");
            foreach (var sector in activity.Elements("sector"))
                Check(sector.Attribute("vocabulary")?.Value == "1" && GovernmentAndCivilSocietySectors.Contains(sector.Attribute("code")!.Value),
                    $"sector {sector.Attribute("code")!.Value} is not a DAC 5-digit code of 151");

            foreach (var budget in activity.Elements("budget"))
            {
                Code(budget, "type", BudgetTypes);
                Code(budget, "status", BudgetStatuses);
                CheckPeriod(budget, Check);
            }

            foreach (var planned in activity.Elements("planned-disbursement"))
            {
                Code(planned, "type", PlannedDisbursementTypes);
                CheckPeriod(planned, Check);
            }

            foreach (var transaction in activity.Elements("transaction"))
            {
                Code(transaction.Element("transaction-type")!, "code", TransactionTypes);
                var on = Date(transaction.Element("transaction-date")!, "iso-date");
                Check(on <= today, $"transaction {transaction.Attribute("ref")?.Value ?? "(no ref)"} is dated {on:uuuu-MM-dd}, after today");
                foreach (var org in transaction.Elements().Where(x => x.Name == "provider-org" || x.Name == "receiver-org"))
                {
                    if (org.Attribute("type") is not null) Code(org, "type", OrganisationTypes);
                }
            }

            foreach (var related in activity.Elements("related-activity")) Code(related, "type", RelatedActivityTypes);

            foreach (var value in activity.Descendants("value"))
            {
                Check(value.Attribute("currency") is { } currency && Funding.Ledger.Currency.TryFind(currency.Value, out _),
                    $"a value has no ISO 4217 currency: {value}");
                Check(value.Attribute("value-date") is not null, $"a value has no value-date: {value}");
                Check(decimal.TryParse(value.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
                    $"'{value.Value}' is not a plain decimal");
            }
        }

        if (reportingOrgs.Count > 1) problems.Add($"one file, several reporting organisations: {string.Join(", ", reportingOrgs)}");
        return problems;
    }

    /// <summary>A period starts before it ends and lasts at most a year, as IATI requires of budgets and planned disbursements.</summary>
    static void CheckPeriod(XElement element, Action<bool, string> check)
    {
        var start = Date(element.Element("period-start")!, "iso-date");
        var end = Date(element.Element("period-end")!, "iso-date");
        check(start <= end, $"{element.Name} period {start:uuuu-MM-dd} to {end:uuuu-MM-dd} ends before it starts");
        check(end < start.PlusYears(1), $"{element.Name} period {start:uuuu-MM-dd} to {end:uuuu-MM-dd} is longer than a year");
    }

    static LocalDate Date(XElement element, string attribute) => LocalDatePattern.Iso.Parse(element.Attribute(attribute)!.Value).Value;

    /// <summary>The transactions of one activity as "type date currency amount", in file order.</summary>
    public static List<string> Transactions(XDocument document, string identifier) =>
        Activity(document, identifier).Elements("transaction").Select(x =>
        {
            var value = x.Element("value")!;
            return $"{x.Element("transaction-type")!.Attribute("code")!.Value} {x.Element("transaction-date")!.Attribute("iso-date")!.Value} " +
                   $"{value.Attribute("currency")!.Value} {decimal.Parse(value.Value, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture)}";
        }).ToList();

    public static XElement Activity(XDocument document, string identifier) =>
        document.Root!.Elements("iati-activity").Single(x => x.Element("iati-identifier")!.Value == identifier);

    /// <summary>The participating organisations of an activity as "role name".</summary>
    public static List<string> Participants(XDocument document, string identifier) =>
        Activity(document, identifier).Elements("participating-org")
            .Select(x => $"{x.Attribute("role")!.Value} {x.Element("narrative")!.Value}").ToList();
}
