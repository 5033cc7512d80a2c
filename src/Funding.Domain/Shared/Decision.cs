namespace Funding.Shared;

/// <summary>
/// A command as a client sends it: its own fields are checked before any state is read, then a pure
/// <c>Decide(state..., command)</c> beside it turns it into a <see cref="Decision"/>.
/// </summary>
public interface ICommand
{
    /// <summary>Every problem with the command's fields, keyed by field; <paramref name="today"/> (UTC) for dates that cannot lie ahead.</summary>
    void Validate(ValidationErrors errors, NodaTime.LocalDate today);
}

/// <summary>
/// A command on a package that may also move money on the streams of the funds that allocated to it (closing and
/// returning what is left): the write locks those funds' read models too.
/// </summary>
public interface IMovesMoneyOfPackageFunds
{
    bool MovesFundMoney { get; }
}

/// <summary>A command that closes or reopens accounting periods: it waits for every write in flight, and holds off new ones until it commits.</summary>
public interface IChangesPeriods;

/// <summary>A command that also moves money on the streams of other funds than the one it names (a balance moved to another fund).</summary>
public interface IFeedsOtherFunds
{
    IEnumerable<Guid> OtherFunds { get; }
}

/// <summary>How a refusal reads: a rule of the ledger broken, a clash with what is already recorded, or nothing there.</summary>
public enum RefusalKind
{
    Rule,
    Conflict,
    NotFound,
}

/// <summary>A command that is well formed but that the ledger refuses. Nothing is appended.</summary>
/// <param name="Rule">A stable name for the rule, e.g. "allocation-exceeds-available-cash".</param>
/// <param name="Field">The command field the rule is about, if one is.</param>
public sealed record Rejection(string Rule, string Message, string? Field = null, RefusalKind Kind = RefusalKind.Rule)
{
    /// <summary>An id that names nothing of the kind it should.</summary>
    public static Rejection NotFound(string field, string what) => new($"unknown-{what}", $"There is no {what} with that id.", field, RefusalKind.NotFound);
}

/// <summary>What a decider returns: the events to append (ledger events only, so each says what it posts), or why not.</summary>
/// <param name="Answer">What the caller is told instead of the plain record of events and postings, if anything.</param>
public readonly record struct Decision(IReadOnlyList<Ledger.ILedgerEvent> Events, Rejection? Rejection, Func<Recorded, object>? Answer = null)
{
    public static Decision Accept(params Ledger.ILedgerEvent[] events) => new(events, null);

    public static implicit operator Decision(Rejection rejection) => new([], rejection);

    public bool IsRejected => Rejection is not null;

    /// <summary>Answers with something built from the record, e.g. the figures the decision was based on.</summary>
    public Decision Answering(Func<Recorded, object> answer) => this with { Answer = answer };
}
