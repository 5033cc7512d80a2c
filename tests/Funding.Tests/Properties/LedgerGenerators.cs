using FsCheck;
using FsCheck.Fluent;
using Funding.Ledger;

namespace Funding.Tests.Properties;

/// <summary>A sequence of commands to run through the model.</summary>
public sealed record LedgerScript(IReadOnlyList<ModelCommand> Commands)
{
    public override string ToString() => string.Join(Environment.NewLine, Commands);
}

public static class LedgerGenerators
{
    static readonly string[] References = ["C1", "C2", "C3"];

    /// <summary>An amount in the currency's minor units; now and then one with a digit too many, which must be refused.</summary>
    static Gen<decimal> Amount(string currency, decimal max) =>
        from whole in Gen.Choose(0, (int)Math.Min(max, 2_000_000_000m))
        from cents in Gen.Choose(0, 99)
        from tooPrecise in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
        let minorUnits = Currency.All[currency].MinorUnits
        let exact = minorUnits == 0 ? whole : whole + decimal.Round(cents / 100m, Math.Min(minorUnits, 2))
        select tooPrecise ? exact + 0.0001m : exact;

    static Gen<string> CurrencyCode => Gen.Elements(LedgerModel.Currencies);
    static Gen<int> DayOfYear => Gen.Choose(0, 364);
    static Gen<string> Reference => Gen.Elements(References);
    static Gen<Funding.Packages.ElectoralPhase> Phase => Gen.Elements(LedgerModel.Phases);
    static Gen<string> Organisation => Gen.Elements(LedgerModel.Organisations);

    static Gen<ModelCommand> Command =>
        Gen.Frequency(
            (2, from r in Reference from c in CurrencyCode from a in Amount(c, 3_000_000) from d in DayOfYear select (ModelCommand)new ModelCommand.Pledge(r, c, a, d)),
            (3, from r in Reference from c in CurrencyCode from a in Amount(c, 3_000_000) from d in DayOfYear select (ModelCommand)new ModelCommand.Sign(r, c, a, d)),
            (4, from r in Reference from c in CurrencyCode from a in Amount(c, 3_000_000) from d in DayOfYear from t in Gen.Choose(1, 40)
                select (ModelCommand)new ModelCommand.Deposit(r, c, a, d, $"TX-{t}")),
            (1, from r in Reference from a in Gen.Choose(0, 2_000_000) from d in DayOfYear select (ModelCommand)new ModelCommand.ReduceAgreement(r, a, d)),
            (2, from r in Reference from same in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false))) select (ModelCommand)new ModelCommand.ConfirmReduction(r, same)),
            (1, from a in Amount("USD", 20_000) from d in DayOfYear select (ModelCommand)new ModelCommand.Interest(a, d)),
            (4, from p in Phase from a in Amount("USD", 700_000) from d in DayOfYear select (ModelCommand)new ModelCommand.Allocate(p, a, d)),
            (2, from p in Phase from a in Amount("USD", 400_000) from d in DayOfYear select (ModelCommand)new ModelCommand.ReturnAllocation(p, a, d)),
            (4, from p in Phase from o in Organisation from a in Amount("USD", 500_000) from d in DayOfYear select (ModelCommand)new ModelCommand.Transfer(p, o, a, d)),
            (3, from p in Phase from o in Organisation from a in Amount("USD", 500_000) from c in Gen.Elements(true, false) from d in DayOfYear
                select (ModelCommand)new ModelCommand.Expenditure(p, o, a, c, d)),
            (2, from p in Phase from o in Organisation from a in Amount("USD", 200_000) from d in DayOfYear select (ModelCommand)new ModelCommand.Refund(p, o, a, d)),
            (1, from m in Gen.Choose(1, 12) select (ModelCommand)new ModelCommand.Revalue(m)),
            // Mostly the first months, so that a script still has most of its year open; now and then December, the year's close.
            (1, from m in Gen.Frequency((8, Gen.Choose(1, 3)), (1, Gen.Constant(12))) from same in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
                select (ModelCommand)new ModelCommand.CloseMonth(m, same)),
            (1, from m in Gen.Choose(1, 3) select (ModelCommand)new ModelCommand.ReopenMonth(m)),
            (2, from p in Phase from a in Amount("USD", 1_200_000) from d in DayOfYear select (ModelCommand)new ModelCommand.RequestRevision(p, a, d)),
            (2, from same in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false))) from d in DayOfYear
                select (ModelCommand)new ModelCommand.ApproveRevision(same, d)));

    public static Arbitrary<LedgerScript> Script() =>
        Arb.From(Gen.Sized(size =>
            from commands in Gen.ListOf(Command, Math.Min(size, 60))
            from close in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, DayOfYear.Select(d => (int?)d)))
            select new LedgerScript(close is { } day ? [.. commands, new ModelCommand.Close(day)] : commands.ToList())), Shorter);

    /// <summary>Shrinks a failing script by dropping one command at a time, so the report shows a short one.</summary>
    static IEnumerable<LedgerScript> Shorter(LedgerScript script) =>
        Enumerable.Range(0, script.Commands.Count)
            .Select(skip => new LedgerScript(script.Commands.Where((_, i) => i != skip).ToList()));
}
