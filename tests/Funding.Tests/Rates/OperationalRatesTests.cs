using Funding.Ledger;
using Funding.Rates;
using Funding.Rates.Publishing;
using Funding.Importing;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Rates;

public class OperationalRatesTests
{
    static OperationalRatesPublished Revision(int month, int day, RevisionKind kind, params (string Currency, decimal Rate)[] rates) =>
        new(D(2024, month, day), kind, $"UNORE 2024-{month:00}-{day:00}", rates.Select(x => new QuotedRate(x.Currency, x.Rate)).ToList(), "test");

    static OperationalRates Table(params OperationalRatesPublished[] revisions) =>
        revisions.Aggregate((OperationalRates?)null, OperationalRates.Fold)!;

    /// <summary>A rates file read and every revision validated, as the import does before deciding anything.</summary>
    static (IReadOnlyList<PublishRates> Revisions, string[] Errors) Read(string csv)
    {
        var errors = new ValidationErrors();
        var rows = ReadingTheFile.Read(csv, ImportKind.Rates, new ImportOptions(DryRun: true, "UNORE"), errors);
        foreach (var row in rows)
        {
            DecidingTheRows.Validate(row, Today);
            DecidingTheRows.Merge(errors, row.Errors);
        }

        return (rows.Select(x => (PublishRates)x.Command).ToList(), errors.ToDictionary().Keys.Order().ToArray());
    }

    [Fact]
    public void the_rate_in_force_is_the_latest_effective_on_or_before_the_date()
    {
        var table = Table(
            Revision(4, 1, RevisionKind.Monthly, ("EUR", 0.935m), ("NOK", 10.9m)),
            Revision(4, 15, RevisionKind.MidMonth, ("NOK", 10.7m)),
            Revision(5, 1, RevisionKind.Monthly, ("EUR", 0.93m), ("NOK", 10.5m)));

        table.InForce("NOK", D(2024, 4, 14))!.UnitsPerUsd.ShouldBe(10.9m);
        table.InForce("NOK", D(2024, 4, 15))!.UnitsPerUsd.ShouldBe(10.7m);
        // A mid-month revision lists only what changed: EUR stays at the monthly rate.
        table.InForce("EUR", D(2024, 4, 20))!.UnitsPerUsd.ShouldBe(0.935m);
        table.InForce("EUR", D(2024, 12, 31))!.UnitsPerUsd.ShouldBe(0.93m);
        table.InForce("EUR", D(2024, 3, 31)).ShouldBeNull();
        table.InForce("JPY", D(2024, 4, 20)).ShouldBeNull();
    }

    [Fact]
    public void a_replaced_rate_keeps_its_history()
    {
        var table = Table(Revision(4, 1, RevisionKind.Monthly, ("EUR", 0.935m)), Revision(4, 1, RevisionKind.Monthly, ("EUR", 0.936m)));

        var entry = table.InForce("EUR", D(2024, 4, 2))!;
        entry.UnitsPerUsd.ShouldBe(0.936m);
        entry.Replaced.Select(x => x.UnitsPerUsd).ShouldBe([0.935m]);
    }

    [Fact]
    public void without_a_rate_in_force_nothing_is_guessed()
    {
        var (rate, rejection) = RateInForce.Resolve(Table(Revision(4, 1, RevisionKind.Monthly, ("EUR", 0.935m))), new Money(1m, "EUR"), D(2024, 3, 31), null, null, "valueDate");

        rate.ShouldBeNull();
        rejection!.Rule.ShouldBe("no-rate-in-force");
        RateInForce.Resolve(null, Money.Usd(1m), D(2024, 3, 31), null, null, "valueDate").Rate.ShouldBe(new RateInForce(1m, null));
        RateInForce.Resolve(null, new Money(1m, "EUR"), D(2024, 3, 31), 0.9m, " agreed ", "valueDate").Rate.ShouldBe(new RateInForce(0.9m, "agreed"));
    }

    [Fact]
    public void a_csv_file_is_grouped_into_revisions_and_every_bad_row_is_named_by_line_and_column()
    {
        var (revisions, errors) = Read("effective_date,currency,units_per_usd\n2024-04-01,EUR,0.935\n2024-04-01,NOK,10.9\n2024-05-01,EUR,0.93\n");
        errors.ShouldBeEmpty();
        revisions.Select(x => (x.EffectiveOn, x.Rates!.Count)).ShouldBe([(D(2024, 4, 1), 2), (D(2024, 5, 1), 1)]);

        var (_, bad) = Read("effective_date,currency,units_per_usd\n2024-04-01,EUR,0.935\n2024-04-31,NOK,10.9\n2024-05-01,eur,-1\n2024-05-01,JPY,abc\n");
        bad.ShouldBe([
            "line 3: effective_date", "line 4: currency", "line 4: units_per_usd", "line 5: units_per_usd",
        ]);
    }
}
