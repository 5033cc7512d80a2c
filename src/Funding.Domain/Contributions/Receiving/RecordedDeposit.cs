using Funding.Ledger;
using Funding.Shared;
using JasperFx.Events;
using Funding.Statements;
using Marten;
using Marten.Events.Projections;
using NodaTime;

namespace Funding.Contributions.Receiving;

/// <summary>
/// A deposit known by its natural key: the bank's or the donor's transaction reference, unique in its fund. The same
/// reference in the same fund is the same deposit, however it arrives (by hand, in one file or in another).
/// </summary>
/// <param name="TransactionReference">As recorded; a deposit recorded before references were required has none, and is keyed by its own event.</param>
public sealed record RecordedDeposit(
    Guid Id, Guid FundId, string? TransactionReference, Guid ContributionId, string Reference, string Donor, Money Amount, LocalDate ValueDate, Guid EventId)
{
    // Never change: existing references would map to new keys.
    static readonly Guid Namespace = new("0c7e4f52-93d1-4b8a-a6f0-2d5b9e1c7a34");

    /// <summary>
    /// The key of a transaction reference in a fund. References differ only in case or surrounding spaces are the same
    /// reference: banks print them either way.
    /// </summary>
    public static Guid KeyOf(Guid fundId, string transactionReference) =>
        DeterministicGuid.Create(Namespace, $"{fundId:N}/{transactionReference.Trim().ToUpperInvariant()}");

    /// <summary>A deposit without a reference is keyed by its own event, so no two of them collide.</summary>
    public static Guid KeyOf(DepositReceived deposit, Guid eventId) =>
        deposit.TransactionReference is { } reference ? KeyOf(deposit.FundId, reference) : DeterministicGuid.Create(Namespace, $"event/{eventId:N}");

    public static RecordedDeposit Of(DepositReceived deposit, Guid eventId) => new(
        KeyOf(deposit, eventId), deposit.FundId, deposit.TransactionReference, deposit.ContributionId, deposit.Reference, deposit.Donor,
        deposit.Amount, deposit.ValueDate, eventId);

    /// <summary>What a second deposit with this key is told.</summary>
    public Rejection Repeated(string fundCode) => new(
        "deposit-already-recorded",
        $"{fundCode} already holds the deposit with transaction reference '{TransactionReference}': {Amount} from {Donor} under {Reference}, value date {ValueDate:yyyy-MM-dd}. " +
        "Two genuine payments have different bank references.",
        "transactionReference", RefusalKind.Conflict);
}

/// <summary>
/// Inline, in the deposit's transaction, which holds its fund's lock: the decider has read every earlier deposit of the
/// fund. Each deposit inserts its own document, which nothing changes afterwards, so the save reads nothing first. A
/// second deposit under one key is never written over the first: its insert fails the transaction.
/// </summary>
public sealed partial class RecordedDepositProjection : EventProjection, IDocumentPerEvent<RecordedDeposit>
{
    public RecordedDepositProjection()
    {
        Name = nameof(RecordedDeposit);
        // A rebuild starts from no documents, or its inserts would meet the old ones.
        Options.DeleteViewTypeOnTeardown<RecordedDeposit>();
        Options.BatchSize = Statements.LedgerProjections.RebuildBatchSize;
    }

    public void Project(IEvent<DepositReceived> e, IDocumentOperations operations) => operations.Insert(DocumentFor(e));

    public RecordedDeposit DocumentFor(IEvent e) => e.Data switch
    {
        DepositReceived deposit => RecordedDeposit.Of(deposit, e.Id),
        _ => throw EventNotFoldedException.By<RecordedDeposit>(e.Data),
    };
}
