using Funding.Contributions;
using Funding.Ledger;
using NodaTime;

namespace Funding.Statements;

/// <summary>The donor statement: what each donor pledged, signed and paid into each fund, year by year.</summary>
public static class DonorStatement
{
    /// <summary>
    /// Movements grouped by donor, fund and year; outstanding amounts are as at the end of each year. A closed fund's
    /// refunds of its balance appear in the year they were paid.
    /// </summary>
    public static IReadOnlyList<DonorStatementLine> Lines(IEnumerable<Contribution> contributions, IEnumerable<(Guid FundId, DonorRefund Refund)>? refunds = null)
    {
        var refunded = (refunds ?? []).GroupBy(x => (x.Refund.Donor, x.FundId, x.Refund.RefundedOn.Year)).ToDictionary(g => g.Key, g => g.Sum(x => x.Refund.Usd));
        var lines = Movements(contributions).ToDictionary(x => (x.Donor, x.FundId, x.Year));
        foreach (var (key, usd) in refunded)
            lines[key] = lines.TryGetValue(key, out var line) ? line with { RefundedAtClosure = usd } : new DonorStatementLine(key.Donor, key.FundId, key.Year, 0m, 0m, 0m, 0m, 0m, usd);
        return lines.Values.OrderBy(x => x.Donor, StringComparer.Ordinal).ThenBy(x => x.FundId).ThenBy(x => x.Year).ToList();
    }

    static IEnumerable<DonorStatementLine> Movements(IEnumerable<Contribution> contributions) =>
        contributions
            .SelectMany(c => c.Movements.Select(m => (Contribution: c, Movement: m)))
            .GroupBy(x => (x.Contribution.Donor, x.Contribution.FundId, x.Movement.On.Year))
            .Select(g =>
            {
                decimal Sum(ContributionMovementKind kind) => g.Where(x => x.Movement.Kind == kind).Sum(x => x.Movement.UsdEquivalent.Amount);
                var endOfYear = new LocalDate(g.Key.Year, 12, 31);
                var outstanding = contributions
                    .Where(c => c.Donor == g.Key.Donor && c.FundId == g.Key.FundId)
                    .Select(c => Outstanding(c, endOfYear))
                    .Aggregate((Receivable: 0m, Pledge: 0m), (a, b) => (a.Receivable + b.Receivable, a.Pledge + b.Pledge));
                return new DonorStatementLine(g.Key.Donor, g.Key.FundId, g.Key.Year,
                    Sum(ContributionMovementKind.Pledged) - Sum(ContributionMovementKind.PledgeReduced),
                    Sum(ContributionMovementKind.Signed) - Sum(ContributionMovementKind.SigningReversed) - Sum(ContributionMovementKind.AgreementReduced),
                    Sum(ContributionMovementKind.Received), outstanding.Receivable, outstanding.Pledge);
            });

    /// <summary>The receivable (booked USD) and the pledge not yet signed (USD at the pledge's rate) at a date.</summary>
    static (decimal Receivable, decimal Pledge) Outstanding(Contribution c, LocalDate on)
    {
        var upTo = c.Movements.Where(m => m.On <= on).ToList();
        decimal Currency(ContributionMovementKind kind) => upTo.Where(m => m.Kind == kind).Sum(m => m.Amount.Amount);

        var receivable = upTo.Sum(m => m.ReceivableChange);
        var pledgeLeft = Math.Max(0m, Currency(ContributionMovementKind.Pledged) - Currency(ContributionMovementKind.PledgeReduced) - Currency(ContributionMovementKind.Signed) + Currency(ContributionMovementKind.SigningReversed));
        return (receivable, pledgeLeft == 0m ? 0m : Money.RoundToCents(pledgeLeft / c.PledgeRate));
    }
}
