using System.Globalization;
using System.Net.Http.Json;
using NodaTime;

namespace Funding.Demo;

/// <summary>
/// A realistic ledger to look at, recorded through the service's own API (so every rule and posting applies), from
/// two Secretary-General reports (on electoral assistance and on new or restored democracies): the Central African Republic 2015-16 basket fund with its
/// USD 36.6 million budget, the electoral trust fund and the regular budget, donors paying in seven currencies, and
/// packages for Annex I countries in every state, the Security Council-mandated ones among them.
/// Current packages are dated from today, so the dashboard is alive whenever it is loaded.
/// </summary>
public sealed class DemoLedger(Func<string, string, HttpClient> clientFor, LocalDate today)
{
    public const string BasketFund = "CAF-BASKET-2015";

    /// <summary>Annex I of the electoral assistance report: the countries assisted, and whether the Security Council mandated it.</summary>
    public static readonly IReadOnlyList<(string Code, bool Mandated)> AnnexOne =
    [
        ("AF", true), ("AL", false), ("DZ", false), ("AR", false), ("AM", false), ("BJ", false), ("BO", false), ("BF", false), ("BI", true),
        ("CF", true), ("TD", false), ("CL", false), ("KM", false), ("CI", true), ("CD", true), ("EG", false), ("SV", false), ("ET", false),
        ("NC", false), ("GH", false), ("GD", false), ("GT", false), ("GN", false), ("GW", true), ("GY", false), ("HT", false), ("HN", false),
        ("IQ", true), ("JO", false), ("KE", false), ("KG", false), ("LB", false), ("LS", false), ("LR", true), ("LY", true), ("MG", false),
        ("MW", false), ("ML", true), ("MX", false), ("MZ", false), ("MM", false), ("NP", false), ("NE", false), ("NG", false), ("PK", false),
        ("PG", false), ("PE", false), ("MD", false), ("RW", false), ("WS", false), ("ST", false), ("SN", false), ("SL", false), ("SB", false),
        ("SO", true), ("PS", false), ("SR", false), ("TL", false), ("TG", false), ("TN", false), ("UG", false), ("TZ", false), ("VU", false),
        ("ZM", false),
    ];

    public const string ClosedFund = "SLE-BASKET-2018";

    HttpClient admin = null!, finance = null!, secondFinance = null!, assessor = null!, focal = null!;

    /// <summary>Records the demo ledger unless its basket fund is already there. Returns whether it recorded anything.</summary>
    public async Task<bool> RecordAsync(CancellationToken cancellation)
    {
        using (admin = clientFor("ada.admin", Access.Roles.Administrator))
        using (finance = clientFor("fin.officer", Access.Roles.FinanceOfficer))
        using (secondFinance = clientFor("fin.reviewer", Access.Roles.FinanceOfficer))
        using (assessor = clientFor("ead.assessor", Access.Roles.FocalPoint))
        using (focal = clientFor("focal.point", Access.Roles.FocalPoint))
        {
            var funds = await finance.GetStringAsync("/api/funds?pageSize=500", cancellation);
            if (funds.Contains($"\"{BasketFund}\"", StringComparison.Ordinal)) return false;
            await Rates(cancellation);
            await CentralAfricanRepublic2015(cancellation);
            await SierraLeone2018(cancellation);
            await CurrentYears(cancellation);
            await CloseTheBooksThrough2016(cancellation);
            return true;
        }
    }

    async Task Rates(CancellationToken cancellation)
    {
        object Revision(LocalDate on, params (string Currency, decimal Rate)[] rates) => new
        {
            effectiveOn = Day(on), kind = "Monthly", reference = $"UNORE {on:uuuu-MM}",
            rates = rates.Select(x => new { currency = x.Currency, unitsPerUsd = x.Rate }).ToArray(),
        };

        await Post(finance, "/api/rates", Revision(new LocalDate(2015, 1, 1),
            ("EUR", 0.89m), ("NOK", 7.60m), ("SEK", 8.40m), ("GBP", 0.66m), ("JPY", 120m), ("DKK", 6.65m), ("CHF", 0.96m)), cancellation);
        await Post(finance, "/api/rates", Revision(new LocalDate(2019, 1, 1),
            ("EUR", 0.87m), ("NOK", 8.60m), ("SEK", 9.00m), ("GBP", 0.78m), ("JPY", 110m), ("DKK", 6.50m), ("CHF", 0.99m)), cancellation);
        await Post(finance, "/api/rates", Revision(new LocalDate(today.Year - 1, 1, 1),
            ("EUR", 0.92m), ("NOK", 10.60m), ("SEK", 10.40m), ("GBP", 0.78m), ("JPY", 150m), ("DKK", 6.85m), ("CHF", 0.88m)), cancellation);
    }

    async Task CentralAfricanRepublic2015(CancellationToken cancellation)
    {
        var fund = await Establish(BasketFund, "Central African Republic 2015-16 electoral basket fund", "MultiPartnerBasketFund", 1m, ["CF"], new LocalDate(2015, 1, 15), cancellation);
        var package = await Package(new
        {
            code = "CF-2015-GENERAL", country = "CF", electoralProcess = "2015-16 constitutional referendum, presidential and legislative elections",
            electionDay = "2015-12-27", origin = "SecurityCouncilMandate", mandate = "2217 (2015)", requestedOn = "2015-02-01",
        }, new LocalDate(2015, 3, 15), new LocalDate(2015, 4, 10),
        [
            ("Procurement", new LocalDate(2015, 5, 1), new LocalDate(2015, 10, 31), 12_400_000m),
            ("VoterRegistration", new LocalDate(2015, 6, 1), new LocalDate(2015, 9, 30), 9_800_000m),
            ("Polling", new LocalDate(2015, 12, 1), new LocalDate(2016, 2, 28), 10_200_000m),
            ("Results", new LocalDate(2015, 12, 28), new LocalDate(2016, 3, 31), 4_200_000m),
        ], approve: true, cancellation);

        await Agreement("EU-CAR-2015", fund, "European Union", 10_000_000m, "EUR", new LocalDate(2015, 3, 20), null, cancellation);
        await Deposit("EU-CAR-2015", fund, "European Union", 10_000_000m, "EUR", new LocalDate(2015, 5, 15), cancellation);
        await Agreement("NOR-CAR-2015", fund, "Norway", 40_000_000m, "NOK", new LocalDate(2015, 4, 1),
            [(new LocalDate(2015, 5, 1), 25_000_000m), (new LocalDate(2015, 10, 1), 15_000_000m)], cancellation);
        await Deposit("NOR-CAR-2015", fund, "Norway", 25_000_000m, "NOK", new LocalDate(2015, 5, 5), cancellation);
        await Deposit("UK-CAR-2015", fund, "United Kingdom", 3_000_000m, "GBP", new LocalDate(2015, 6, 10), cancellation);
        await Agreement("USA-CAR-2015", fund, "United States", 5_000_000m, "USD", new LocalDate(2015, 6, 1), null, cancellation);
        await Deposit("USA-CAR-2015", fund, "United States", 5_000_000m, "USD", new LocalDate(2015, 7, 1), cancellation);
        await Pledge("JPN-CAR-2015", fund, "Japan", 500_000_000m, "JPY", new LocalDate(2015, 7, 1), null, cancellation);

        await Allocate(package, fund, "Procurement", 12_400_000m, new LocalDate(2015, 5, 20), cancellation);
        await Allocate(package, fund, "VoterRegistration", 9_800_000m, new LocalDate(2015, 7, 2), cancellation);
        await Transfer(package, fund, "Procurement", "UNDP", 11_000_000m, new LocalDate(2015, 6, 1), cancellation);
        await Transfer(package, fund, "VoterRegistration", "UNDP", 9_000_000m, new LocalDate(2015, 7, 10), cancellation);
        await Expenditure(package, fund, "Procurement", "UNDP", "Certified", 11_500_000m, new LocalDate(2015, 12, 31), cancellation);
        await Expenditure(package, fund, "VoterRegistration", "UNDP", "Certified", 9_400_000m, new LocalDate(2015, 12, 31), cancellation);
        await Post(finance, $"/api/packages/{package}/refunds", new
        {
            fundId = fund, phase = "VoterRegistration", implementingOrganisation = "UNDP", amount = Usd(230_000m), receivedOn = "2016-03-15",
        }, cancellation);
    }

    /// <summary>
    /// A basket fund wound up: its package spent and closed, what was not transferred returned, and the balance refunded
    /// to its three donors in proportion to their deposits, each in their own currency.
    /// </summary>
    async Task SierraLeone2018(CancellationToken cancellation)
    {
        var fund = await Establish(ClosedFund, "Sierra Leone 2018 electoral basket fund", "MultiPartnerBasketFund", 1m, ["SL"], new LocalDate(2017, 10, 1), cancellation);
        var package = await Package(new
        {
            code = "SL-2018-GENERAL", country = "SL", electoralProcess = "2018 presidential, parliamentary and local council elections",
            electionDay = "2018-03-07", origin = "MemberStateRequest", requestedOn = "2017-09-01",
        }, new LocalDate(2017, 10, 15), new LocalDate(2017, 11, 1),
            [("Polling", new LocalDate(2018, 1, 15), new LocalDate(2018, 4, 30), 3_500_000m)], approve: true, cancellation);

        await Deposit("GBR-SLE-2018", fund, "United Kingdom", 1_000_000m, "GBP", new LocalDate(2017, 11, 10), cancellation);
        await Deposit("EU-SLE-2018", fund, "European Union", 1_500_000m, "EUR", new LocalDate(2017, 11, 20), cancellation);
        await Deposit("JPN-SLE-2018", fund, "Japan", 100_000_000m, "JPY", new LocalDate(2017, 12, 1), cancellation);
        await Allocate(package, fund, "Polling", 3_500_000m, new LocalDate(2017, 12, 5), cancellation);
        await Transfer(package, fund, "Polling", "UNDP", 3_000_000m, new LocalDate(2017, 12, 10), cancellation);
        await Expenditure(package, fund, "Polling", "UNDP", "Certified", 3_210_000m, new LocalDate(2018, 12, 31), cancellation);
        await Post(focal, $"/api/packages/{package}/closure", new { closedOn = "2019-03-31", returnWhatIsLeft = true }, cancellation);
        await Post(admin, $"/api/funds/{fund}/closure", new { stage = "Operational", closedOn = "2019-04-30" }, cancellation);
        await Post(admin, $"/api/funds/{fund}/closure", new { stage = "Financial", closedOn = "2019-06-28" }, cancellation);
    }

    /// <summary>2015 and 2016 are closed: their receivables revalued at each month's end, November closed, then December and the year.</summary>
    async Task CloseTheBooksThrough2016(CancellationToken cancellation)
    {
        var funds = await finance.GetFromJsonAsync<List<Funds.Fund>>("/api/funds?pageSize=500", Shared.JsonForFunding.CreateWeb(), cancellation);
        foreach (var month in new[] { new LocalDate(2016, 11, 30), new LocalDate(2016, 12, 31) })
        {
            foreach (var fund in funds!.Where(x => x.EstablishedOn <= month))
                await Post(finance, $"/api/funds/{fund.Id}/revaluations", new { monthEnd = Day(month) }, cancellation);
            await Post(finance, "/api/periods/closings", new { month = $"{month:uuuu-MM}" }, cancellation);
            await Post(secondFinance, "/api/periods/closings/confirmation", new { }, cancellation);
        }
    }

    async Task CurrentYears(CancellationToken cancellation)
    {
        var trust = await Establish("UNEAD-TF", "Trust fund for electoral assistance", "TrustFund", 0m,
            AnnexOne.Select(x => x.Code).ToArray(), new LocalDate(today.Year - 1, 1, 2), cancellation);
        var regular = await Establish($"RB-EAD-{today.Year}", $"Regular budget, Electoral Assistance Division {today.Year}", "RegularBudget", 0m, [],
            new LocalDate(today.Year, 1, 1), cancellation);
        await Post(finance, $"/api/funds/{regular}/appropriations", new
        {
            year = today.Year, amount = Usd(1_500_000m), reference = $"A/RES/{today.Year - 1946}/248", appropriatedOn = Day(new LocalDate(today.Year, 1, 1)),
        }, cancellation);

        await Deposit("SWE-EAD", trust, "Sweden", 30_000_000m, "SEK", today.PlusDays(-90), cancellation);
        await Deposit("DNK-EAD", trust, "Denmark", 10_000_000m, "DKK", today.PlusDays(-60), cancellation);
        await Agreement("CHE-EAD", trust, "Switzerland", 4_000_000m, "CHF", today.PlusDays(-120), [(today.PlusDays(45), 4_000_000m)], cancellation);
        await Pledge("DEU-EAD", trust, "Germany", 5_000_000m, "EUR", today.PlusDays(-30), null, cancellation);
        // Overdue: the first instalment fell due forty days ago and has not arrived.
        await Agreement("NLD-EAD", trust, "Netherlands", 1_000_000m, "EUR", today.PlusDays(-100), [(today.PlusDays(-40), 1_000_000m)], cancellation);

        (string, LocalDate, LocalDate, decimal) Phase(string phase, int from, int to, decimal budget) => (phase, today.PlusDays(from), today.PlusDays(to), budget);

        var nepal = await Package(new
        {
            code = $"NP-{today.Year + 1}-GENERAL", country = "NP", electoralProcess = "House of Representatives elections",
            electionDay = Day(today.PlusDays(300)), origin = "MemberStateRequest", requestedOn = Day(today.PlusDays(-200)),
        }, today.PlusDays(-150), today.PlusDays(-120),
            [Phase("VoterRegistration", 20, 110, 1_200_000m), Phase("Polling", 280, 300, 2_000_000m)], approve: true, cancellation);
        await Allocate(nepal, trust, "VoterRegistration", 800_000m, today.PlusDays(-30), cancellation);
        // After approval: registration runs a month longer at no cost, polling needs a second round; one person asks,
        // another approves. Then part of the registration allocation goes back to the fund, no longer needed.
        await Post(assessor, $"/api/packages/{nepal}/budget-revisions", new
        {
            phases = new[]
            {
                new { phase = "VoterRegistration", startsOn = Day(today.PlusDays(20)), endsOn = Day(today.PlusDays(140)), budget = Usd(1_200_000m) },
                new { phase = "Polling", startsOn = Day(today.PlusDays(280)), endsOn = Day(today.PlusDays(300)), budget = Usd(2_300_000m) },
            },
            reason = "Registration extended by a month; a possible second round of polling", requestedOn = Day(today.PlusDays(-25)),
        }, cancellation);
        await Post(focal, $"/api/packages/{nepal}/budget-revisions/approval", new { approvedOn = Day(today.PlusDays(-20)) }, cancellation);
        await Post(finance, $"/api/packages/{nepal}/allocation-returns", new
        {
            fundId = trust, phase = "VoterRegistration", amount = Usd(50_000m), reason = "Registration kits bought for less than budgeted",
            returnedOn = Day(today.PlusDays(-10)),
        }, cancellation);

        await Package(new
        {
            code = $"LR-{today.Year + 1}-PRESIDENTIAL", country = "LR", electoralProcess = "Presidential and legislative elections",
            electionDay = Day(today.PlusDays(150)), origin = "SecurityCouncilMandate", mandate = "2777 (2025)", requestedOn = Day(today.PlusDays(-180)),
        }, today.PlusDays(-140), today.PlusDays(-100),
            [Phase("Procurement", 10, 70, 1_800_000m), Phase("Polling", 140, 150, 2_500_000m)], approve: true, cancellation);

        var malawi = await Package(new
        {
            code = $"MW-{today.Year + 1}-LOCAL", country = "MW", electoralProcess = "Local government elections",
            electionDay = Day(today.PlusDays(240)), origin = "MemberStateRequest", requestedOn = Day(today.PlusDays(-160)),
        }, today.PlusDays(-100), today.PlusDays(-80), [Phase("Planning", -30, 60, 600_000m)], approve: true, cancellation);
        await Allocate(malawi, regular, "Planning", 600_000m, today.PlusDays(-20), cancellation);
        await Transfer(malawi, regular, "Planning", "UNDP", 500_000m, today.PlusDays(-15), cancellation);

        await Package(new
        {
            code = $"HT-{today.Year + 1}-GENERAL", country = "HT", electoralProcess = "General elections",
            electionDay = Day(today.PlusDays(420)), origin = "MemberStateRequest", requestedOn = Day(today.PlusDays(-90)),
        }, today.PlusDays(-75), today.PlusDays(-60), [Phase("CivicEducation", 90, 200, 900_000m)], approve: true, cancellation);

        await Package(new
        {
            code = $"GN-{today.Year + 1}-LEGISLATIVE", country = "GN", electoralProcess = "Legislative elections",
            electionDay = Day(today.PlusDays(340)), origin = "MemberStateRequest", requestedOn = Day(today.PlusDays(-40)),
        }, today.PlusDays(-10), null, [Phase("VoterRegistration", 60, 150, 700_000m), Phase("Polling", 330, 340, 1_100_000m)], approve: false, cancellation);

        // Asked for less than four months before election day.
        await Package(new
        {
            code = $"KE-{today.Year + 1}-BY-ELECTIONS", country = "KE", electoralProcess = "By-elections",
            electionDay = Day(today.PlusDays(100)), origin = "MemberStateRequest", requestedOn = Day(today.PlusDays(-10)),
        }, today.PlusDays(-5), null, [Phase("Polling", 90, 100, 350_000m)], approve: false, cancellation);

        await Post(focal, "/api/packages", new
        {
            code = $"ML-{today.Year + 1}-PRESIDENTIAL", country = "ML", electoralProcess = "Presidential election",
            electionDay = Day(today.PlusDays(380)), origin = "SecurityCouncilMandate", mandate = "2640 (2022)", requestedOn = Day(today.PlusDays(-15)),
        }, cancellation);

        var timorLeste = await Package(new
        {
            code = $"TL-{today.Year - 1}-PARLIAMENTARY", country = "TL", electoralProcess = "Parliamentary elections",
            electionDay = Day(today.PlusDays(-330)), origin = "MemberStateRequest", requestedOn = Day(today.PlusDays(-600)),
        }, today.PlusDays(-560), today.PlusDays(-540), [Phase("Results", -340, -320, 150_000m)], approve: true, cancellation);
        await Post(focal, $"/api/packages/{timorLeste}/closure", new { closedOn = Day(today.PlusDays(-200)) }, cancellation);
    }

    async Task<Guid> Establish(string code, string name, string kind, decimal fee, string[] countries, LocalDate on, CancellationToken cancellation) =>
        (await Post<Funds.Establishing.FundCreated>(admin, "/api/funds", new
        {
            code, name, kind, administrativeAgentFeePercent = fee, defaultIndirectCostPercent = 7, eligibleCountries = countries, establishedOn = Day(on),
        }, cancellation)).FundId;

    async Task<Guid> Package(object request, LocalDate assessedOn, LocalDate? approvedOn,
        IReadOnlyList<(string Phase, LocalDate StartsOn, LocalDate EndsOn, decimal Budget)> phases, bool approve, CancellationToken cancellation)
    {
        var id = (await Post<Packages.Requesting.PackageCreated>(focal, "/api/packages", request, cancellation)).PackageId;
        await Post(assessor, $"/api/packages/{id}/needs-assessment", new
        {
            assessedOn = Day(assessedOn), implementingOrganisations = new[] { "UNDP", "UN Women" },
            phases = phases.Select(x => new { phase = x.Phase, startsOn = Day(x.StartsOn), endsOn = Day(x.EndsOn), budget = Usd(x.Budget) }).ToArray(),
        }, cancellation);
        if (approve)
        {
            await Post(focal, $"/api/packages/{id}/approval", new
            {
                approvedOn = Day(approvedOn!.Value), phases = phases.Select(x => new { phase = x.Phase, budget = Usd(x.Budget) }).ToArray(),
            }, cancellation);
        }

        return id;
    }

    Task Pledge(string reference, Guid fundId, string donor, decimal amount, string currency, LocalDate on, Guid? earmarked, CancellationToken cancellation) =>
        Post(finance, "/api/contributions/pledges", new
        {
            reference, fundId, donor, amount = Money(amount, currency), pledgedOn = Day(on), earmarkedPackageId = earmarked,
        }, cancellation);

    Task Agreement(string reference, Guid fundId, string donor, decimal amount, string currency, LocalDate on,
        IReadOnlyList<(LocalDate DueOn, decimal Amount)>? instalments, CancellationToken cancellation) =>
        Post(finance, "/api/contributions/agreements", new
        {
            reference, fundId, donor, amount = Money(amount, currency), signedOn = Day(on),
            instalments = instalments?.Select(x => new { dueOn = Day(x.DueOn), amount = Money(x.Amount, currency) }).ToArray(),
        }, cancellation);

    Task Deposit(string reference, Guid fundId, string donor, decimal amount, string currency, LocalDate valueDate, CancellationToken cancellation) =>
        Post(finance, "/api/contributions/deposits", new
        {
            reference, fundId, donor, amount = Money(amount, currency), valueDate = Day(valueDate),
            transactionReference = $"BANK-{reference}-{valueDate:yyyyMMdd}",
        }, cancellation);

    Task Allocate(Guid package, Guid fundId, string phase, decimal amount, LocalDate on, CancellationToken cancellation) =>
        Post(finance, $"/api/packages/{package}/allocations", new { fundId, phase, amount = Usd(amount), allocatedOn = Day(on) }, cancellation);

    Task Transfer(Guid package, Guid fundId, string phase, string organisation, decimal programmable, LocalDate on, CancellationToken cancellation) =>
        Post(finance, $"/api/packages/{package}/transfers", new
        {
            fundId, phase, implementingOrganisation = organisation, programmable = Usd(programmable), transferredOn = Day(on),
        }, cancellation);

    Task Expenditure(Guid package, Guid fundId, string phase, string organisation, string basis, decimal spent, LocalDate asOf, CancellationToken cancellation) =>
        Post(finance, $"/api/packages/{package}/expenditure", new
        {
            fundId, phase, implementingOrganisation = organisation, basis, cumulativeToDate = Usd(spent), asOf = Day(asOf),
        }, cancellation);

    static object Usd(decimal amount) => Money(amount, "USD");
    static object Money(decimal amount, string currency) => new { amount, currency };
    static string Day(LocalDate day) => day.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    static async Task Post(HttpClient client, string url, object body, CancellationToken cancellation) =>
        await Post<object>(client, url, body, cancellation);

    /// <summary>Every demo step must be accepted: a refusal means the demo no longer fits the rules, and says which.</summary>
    static async Task<T> Post<T>(HttpClient client, string url, object body, CancellationToken cancellation)
    {
        using var answer = await client.PostAsJsonAsync(url, body, cancellation);
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"Demo data: POST {url} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(cancellation)}");
        return (await answer.Content.ReadFromJsonAsync<T>(cancellation))!;
    }
}
