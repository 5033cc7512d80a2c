using Funding.Contributions;
using Funding.Ledger;
using Funding.Rates;
using NodaTime;

namespace Funding.Statements.Ageing;

/// <summary>
/// What is owed, by how long it has been past due as at a date: 0-30 days (an instalment due on the date itself
/// included), 31-90, 91-180 and over 180. Instalments not yet due are kept apart and are not past due.
/// </summary>
public sealed record AgeingBuckets(decimal NotYetDue, decimal Days0To30, decimal Days31To90, decimal Days91To180, decimal Over180Days)
{
    public static readonly AgeingBuckets Zero = new(0m, 0m, 0m, 0m, 0m);

    public decimal PastDue => Days0To30 + Days31To90 + Days91To180 + Over180Days;

    public AgeingBuckets Plus(AgeingBuckets other) => new(
        NotYetDue + other.NotYetDue, Days0To30 + other.Days0To30, Days31To90 + other.Days31To90, Days91To180 + other.Days91To180,
        Over180Days + other.Over180Days);

    /// <summary>Each bucket in USD at the rate, rounded to the cent half away from zero, as the ledger rounds.</summary>
    public AgeingBuckets ToUsd(string currency, decimal unitsPerUsd)
    {
        decimal Usd(decimal amount) => new Money(amount, currency).ToUsd(unitsPerUsd).Amount;
        return new(Usd(NotYetDue), Usd(Days0To30), Usd(Days31To90), Usd(Days91To180), Usd(Over180Days));
    }

    /// <summary>The amount added to the bucket its due date falls in, as at the date.</summary>
    public AgeingBuckets Adding(decimal amount, LocalDate dueOn, LocalDate asAt)
    {
        if (dueOn > asAt) return this with { NotYetDue = NotYetDue + amount };
        return Period.DaysBetween(dueOn, asAt) switch
        {
            <= 30 => this with { Days0To30 = Days0To30 + amount },
            <= 90 => this with { Days31To90 = Days31To90 + amount },
            <= 180 => this with { Days91To180 = Days91To180 + amount },
            _ => this with { Over180Days = Over180Days + amount },
        };
    }
}

/// <summary>Amounts in one currency that have no USD figure, because no UN operational rate was in force for it.</summary>
public sealed record CurrencyAgeing(string Currency, AgeingBuckets Amounts);

/// <summary>
/// One signed agreement still owed: its unpaid instalments by age, in the agreement's currency and in USD at the UN
/// operational rate in force on the as-at date. With no rate in force, <see cref="Usd"/> is empty and
/// <see cref="NoRate"/> says why. <see cref="CarryingUsd"/> is the whole receivable (due or not) as the books carry it.
/// </summary>
/// <param name="OldestDueOn">The due date of the oldest instalment past due and not received; null when none is.</param>
public sealed record AgeingLine(
    string Donor, Guid FundId, string Fund, string Reference, Guid ContributionId, string Currency, AgeingBuckets Amounts,
    LocalDate? OldestDueOn, int? DaysPastDue, decimal? UnitsPerUsd, LocalDate? RateEffectiveOn, AgeingBuckets? Usd, decimal CarryingUsd,
    string? NoRate);

/// <summary>A donor's receivables in one fund, in USD; amounts left without a USD figure are listed by currency.</summary>
public sealed record AgeingSubtotal(
    string Donor, Guid FundId, string Fund, AgeingBuckets Usd, decimal CarryingUsd, IReadOnlyList<CurrencyAgeing> NotConverted);

public sealed record AgeingTotals(AgeingBuckets Usd, decimal CarryingUsd, IReadOnlyList<CurrencyAgeing> NotConverted);

/// <summary>
/// The receivables ageing report: one line per agreement owed, by donor, fund and reference; subtotals per donor and
/// fund; totals. USD figures add the lines' rounded figures. Money without a rate in force is never dropped: it
/// stays on its line in its currency and is listed under <c>NotConverted</c> beside the USD totals.
/// </summary>
public sealed record ReceivablesAgeingReport(
    LocalDate AsAt, LocalDate? KnownOn, IReadOnlyList<AgeingLine> Lines, IReadOnlyList<AgeingSubtotal> ByDonorAndFund, AgeingTotals Totals);

public static class ReceivablesAgeing
{
    /// <param name="contributions">The contributions as at <paramref name="asAt"/> (and as known on <paramref name="knownOn"/>).</param>
    /// <param name="rates">The rates table as known on that day.</param>
    /// <param name="fundCodes">The funds' codes, by id, for the lines.</param>
    public static ReceivablesAgeingReport Of(
        IEnumerable<Contribution> contributions, OperationalRates? rates, LocalDate asAt, LocalDate? knownOn, IReadOnlyDictionary<Guid, string> fundCodes)
    {
        var lines = contributions
            .Select(c => Line(c, rates, asAt, fundCodes.GetValueOrDefault(c.FundId, c.FundId.ToString())))
            .OfType<AgeingLine>()
            .OrderBy(x => x.Donor, StringComparer.Ordinal).ThenBy(x => x.Fund, StringComparer.Ordinal).ThenBy(x => x.Reference, StringComparer.Ordinal)
            .ToList();

        var subtotals = lines
            .GroupBy(x => (x.Donor, x.FundId, x.Fund))
            .Select(g => new AgeingSubtotal(g.Key.Donor, g.Key.FundId, g.Key.Fund, SumUsd(g), g.Sum(x => x.CarryingUsd), NotConverted(g)))
            .ToList();

        return new ReceivablesAgeingReport(asAt, knownOn, lines, subtotals, new AgeingTotals(SumUsd(lines), lines.Sum(x => x.CarryingUsd), NotConverted(lines)));
    }

    /// <summary>The agreement's unpaid instalments by age; null when nothing is owed.</summary>
    public static AgeingLine? Line(Contribution contribution, OperationalRates? rates, LocalDate asAt, string fundCode)
    {
        var owed = contribution.InstalmentsOwed();
        if (owed.Count == 0) return null;

        var amounts = owed.Aggregate(AgeingBuckets.Zero, (buckets, x) => buckets.Adding(x.Amount.Amount, x.DueOn, asAt));
        var oldest = owed.Where(x => x.DueOn <= asAt).Select(x => (LocalDate?)x.DueOn).Min();
        var currency = contribution.Currency;
        // USD needs no rate; another currency takes the one in force on the as-at date, or none at all.
        (decimal? Rate, LocalDate? EffectiveOn) inForce = currency == Currency.UsdCode ? (1m, null)
            : rates?.InForce(currency, asAt) is { } entry ? (entry.UnitsPerUsd, entry.EffectiveOn)
            : (null, null);
        var (rate, effectiveOn) = inForce;
        return new AgeingLine(
            contribution.Donor, contribution.FundId, fundCode, contribution.Reference, contribution.Id, currency, amounts,
            oldest, oldest is { } due ? Period.DaysBetween(due, asAt) : null,
            rate, effectiveOn, rate is { } r ? amounts.ToUsd(currency, r) : null, owed.Sum(x => x.Usd),
            rate is null ? $"No UN operational rate for {currency} is in force on {asAt:uuuu-MM-dd}: no USD figure is given." : null);
    }

    static AgeingBuckets SumUsd(IEnumerable<AgeingLine> lines) =>
        lines.Where(x => x.Usd is not null).Aggregate(AgeingBuckets.Zero, (total, x) => total.Plus(x.Usd!));

    static IReadOnlyList<CurrencyAgeing> NotConverted(IEnumerable<AgeingLine> lines) => lines
        .Where(x => x.Usd is null)
        .GroupBy(x => x.Currency)
        .Select(g => new CurrencyAgeing(g.Key, g.Aggregate(AgeingBuckets.Zero, (total, x) => total.Plus(x.Amounts))))
        .OrderBy(x => x.Currency, StringComparer.Ordinal)
        .ToList();
}
