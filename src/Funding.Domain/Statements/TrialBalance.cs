using Funding.Ledger;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Funding.Statements;

/// <summary>A fund's trial balance: the net of every posting per account, in USD. Debits positive, credits negative.</summary>
public sealed class TrialBalance
{
    public Guid Id { get; set; }
    public SortedDictionary<Account, decimal> Balances { get; set; } = new();

    /// <summary>Double entry holds when this is zero.</summary>
    public decimal Difference => Balances.Values.Sum();
    public bool IsBalanced => Difference == 0m;
}

/// <summary>Inline: a fund's books must balance in the same transaction as the event that moved them.</summary>
public sealed class TrialBalanceProjection : MultiStreamProjection<TrialBalance, Guid>
{
    public TrialBalanceProjection()
    {
        Identity<IFundEvent>(e => e.FundId);
        foreach (var type in LedgerEvents.Implementing<IFundEvent>()) IncludeType(type);
        Options.BatchSize = LedgerProjections.RebuildBatchSize;
    }

    public override TrialBalance Evolve(TrialBalance? snapshot, Guid id, IEvent e)
    {
        snapshot ??= new TrialBalance { Id = id };
        foreach (var line in Postings.For(e.Data))
        {
            snapshot.Balances[line.Account] = snapshot.Balances.GetValueOrDefault(line.Account) + line.Amount;
        }

        return snapshot;
    }
}
