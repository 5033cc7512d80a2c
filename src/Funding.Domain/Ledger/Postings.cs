namespace Funding.Ledger;

/// <summary>
/// Building blocks for the posting rules each event declares (<see cref="ILedgerEvent.Postings"/>): what it debits and
/// credits in its fund's books. Pure, so the trial balance can be rebuilt from the event log and the rules tested
/// without a database.
/// </summary>
public static class Postings
{
    /// <summary>What the event posts, as it declares it.</summary>
    public static IReadOnlyList<PostingLine> For(object @event) => LedgerEvents.Of(@event).Postings;

    /// <summary>What an event that moves no money posts (a pledge is indicative, an approval is a decision): said, not assumed.</summary>
    public static IReadOnlyList<PostingLine> Nothing { get; } = [];

    /// <summary>The lines, without the zero ones (an exact settlement has no exchange difference).</summary>
    public static IReadOnlyList<PostingLine> Lines(params PostingLine[] lines) => lines.Where(x => x.Amount != 0m).ToList();

    public static PostingLine Debit(Account account, Money amount) => PostingLine.Debit(account, amount);

    public static PostingLine Credit(Account account, Money amount) => PostingLine.Credit(account, amount);
}
