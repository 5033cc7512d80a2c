using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Ledger;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Audit;

/// <summary>A replay as at a date takes each stream as it stood then, even when a later step carries an earlier date.</summary>
public class LedgerReplayTests
{
    static LoggedEvent Logged(long sequence, object data) =>
        new(sequence, ContributionId, sequence, data, BusinessDates.Of(data), Instant.FromUtc(2024, 6, 1, 0, 0).Plus(Duration.FromMinutes(sequence)));

    [Fact]
    public void a_contribution_does_not_exist_as_at_a_date_before_it_began()
    {
        var signed = new AgreementSigned(ContributionId, "NOR-1", FundId, "Norway", new Money(15_000_000m, "NOK"), 10m, Usd(1_500_000m), D(2024, 5, 20), [], null);
        // Recorded before the rule that now refuses it: a reduction dated before the signature.
        var reduction = new AgreementReductionRequested(ContributionId, FundId, new Money(1_000m, "NOK"), "letter", D(2024, 5, 1), "fin-1");
        var log = new[] { Logged(1, signed), Logged(2, reduction) };

        LedgerReplay.Of(log, new ReportCut(D(2024, 5, 10), null)).Contributions.ShouldBeEmpty();
        var asAtEndOfMay = LedgerReplay.Of(log, new ReportCut(D(2024, 5, 31), null)).Contributions[ContributionId];
        (asAtEndOfMay.Signed, asAtEndOfMay.PendingReduction).ShouldBe((15_000_000m, reduction));
    }
}
