using Funding.Ledger;
using JasperFx.Core;

namespace Funding.Shared;

/// <summary>A posting line as a finance officer reads it: the account, and a debit or a credit.</summary>
public sealed record PostingView(int AccountCode, Account Account, decimal Debit, decimal Credit);

/// <summary>The answer to a money command: what was recorded and the double-entry postings it made.</summary>
public sealed record Recorded(Guid Id, IReadOnlyList<string> Events, IReadOnlyList<PostingView> Postings)
{
    public static Recorded From(Guid id, IEnumerable<object> events)
    {
        var list = events.ToList();
        return new Recorded(
            id,
            list.Select(e => e.GetType().Name.SplitPascalCase()).ToList(),
            list.SelectMany(Ledger.Postings.For)
                .Select(line => new PostingView((int)line.Account, line.Account, Math.Max(line.Amount, 0m), Math.Max(-line.Amount, 0m)))
                .ToList());
    }
}
