using Funding.Ledger;
using Funding.Shared;
using Funding.Statements;
using NodaTime;

namespace Funding.Periods;

/// <summary>A month as closed: who asked, who confirmed, and the funds' figures at its end as they stood then.</summary>
public sealed record ClosedMonth(LocalDate MonthEnd, string RequestedBy, string ConfirmedBy, IReadOnlyList<FundAtClose> Funds);

/// <summary>A closed month opened again: rare, with a reason, and never forgotten by the reports.</summary>
public sealed record MonthReopening(LocalDate MonthEnd, string Reason, string ReopenedBy, LocalDate ReopenedOn);

/// <summary>
/// The ledger's accounting periods, on one stream for the whole ledger: which months are closed, and every close and
/// reopening there has been. Nothing may be dated on or before <see cref="ClosedThrough"/>.
/// </summary>
public sealed record AccountingPeriods(Guid Id) : IFolded<AccountingPeriods>
{
    // Never change: the one stream of the ledger's periods.
    public static readonly Guid StreamId = new("b00c5e1d-0a7e-4c3f-9e21-5d8a6f4b2c10");

    public int Version { get; set; }

    /// <summary>The periods of a ledger that has never closed a month.</summary>
    public static AccountingPeriods None => new(StreamId);

    /// <summary>The last day of the latest closed month: everything up to it is closed.</summary>
    public LocalDate? ClosedThrough { get; set; }

    public MonthCloseRequested? PendingClose { get; set; }

    /// <summary>Every close, in order; a month closed, reopened and closed again appears twice.</summary>
    public List<ClosedMonth> Closes { get; set; } = [];

    public List<MonthReopening> Reopenings { get; set; } = [];

    public List<int> ClosedYears { get; set; } = [];

    public LocalDate? FirstOpenDay => ClosedThrough?.PlusDays(1);

    public bool IsClosed(LocalDate day) => ClosedThrough is { } through && day <= through;

    /// <summary>The latest close of the month, while it stays closed; null when it is open.</summary>
    public ClosedMonth? CloseOf(LocalDate monthEnd) => IsClosed(monthEnd) ? Closes.LastOrDefault(x => x.MonthEnd == monthEnd) : null;


    /// <summary>
    /// What the books say of the days from <paramref name="from"/> to <paramref name="to"/>: whether they are closed, and
    /// every close and reopening of a month among them. Null when none of those months was ever closed.
    /// </summary>
    public PeriodBooks? Over(LocalDate from, LocalDate to)
    {
        var closes = Closes.Where(x => x.MonthEnd >= from && x.MonthEnd <= to).Select(x => new MonthClose(x.MonthEnd, x.RequestedBy, x.ConfirmedBy)).ToList();
        var reopenings = Reopenings.Where(x => x.MonthEnd >= from && x.MonthEnd <= to).ToList();
        return closes.Count == 0 && !IsClosed(to) ? null : new PeriodBooks(IsClosed(to), closes, reopenings);
    }

    public static AccountingPeriods Fold(AccountingPeriods? books, object @event)
    {
        books ??= new AccountingPeriods(StreamId);
        switch (@event)
        {
            case MonthCloseRequested e:
                books.PendingClose = e;
                return books;
            case MonthCloseWithdrawn:
                books.PendingClose = null;
                return books;
            case MonthClosed e:
                books.PendingClose = null;
                books.ClosedThrough = e.MonthEnd;
                books.Closes.Add(new ClosedMonth(e.MonthEnd, e.RequestedBy, e.ConfirmedBy, e.Funds));
                return books;
            case YearClosed e:
                books.ClosedYears.Add(e.Year);
                return books;
            case MonthReopened e:
                books.PendingClose = null;
                books.ClosedThrough = Months.EndOfPrevious(e.MonthEnd);
                books.Reopenings.Add(new MonthReopening(e.MonthEnd, e.Reason, e.ReopenedBy, e.ReopenedOn));
                books.ClosedYears.Remove(e.MonthEnd.Year);
                return books;
            default:
                throw EventNotFoldedException.By<AccountingPeriods>(@event);
        }
    }
}

/// <summary>
/// The rule every write obeys once a month is closed: no event may be dated on or before <paramref name="Through"/>.
/// It needs only that day, so a write reads only that day, not the periods' whole history.
/// </summary>
public sealed record ClosedBooks(LocalDate Through)
{
    /// <summary>The rule of the books closed through that day; none when no month was ever closed.</summary>
    public static ClosedBooks? Of(LocalDate? through) => through is { } day ? new ClosedBooks(day) : null;

    /// <summary>The events of the periods themselves are the only exception: they are what opens and closes them.</summary>
    public Rejection? Refuses(IEnumerable<ILedgerEvent> events, Func<LocalDate, string?> fieldOf)
    {
        var dated = events.Where(x => x is not IPeriodEvent).FirstOrDefault(x => x.BusinessDate <= Through);
        return dated is null ? null : PeriodClosed(dated.BusinessDate, fieldOf(dated.BusinessDate));
    }

    /// <summary>The command's date field (its JSON name) that gave an event its date, so a refusal can name it.</summary>
    public static string? FieldDated(object command, LocalDate day) => command.GetType().GetProperties()
        .Where(x => x.PropertyType == typeof(LocalDate) || x.PropertyType == typeof(LocalDate?))
        .Where(x => x.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true).Length == 0)
        .Where(x => x.GetValue(command) is LocalDate value && value == day)
        .Select(x => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(x.Name))
        .FirstOrDefault();

    Rejection PeriodClosed(LocalDate day, string? field) => new(
        "period-closed",
        $"{day:yyyy-MM} is closed: nothing may be dated on or before {Through:yyyy-MM-dd} ({day:yyyy-MM-dd} was given). " +
        $"The first open day is {Through.PlusDays(1):yyyy-MM-dd}; a correction of a fact in a closed period is dated then and says what it corrects.",
        field);
}

/// <summary>One close of a month: who asked, and who confirmed.</summary>
public sealed record MonthClose(LocalDate MonthEnd, string RequestedBy, string ConfirmedBy);

/// <summary>Whether a report's days are closed, and each close and reopening of its months: a reopened month stays visible.</summary>
public sealed record PeriodBooks(bool Closed, IReadOnlyList<MonthClose> Closes, IReadOnlyList<MonthReopening> Reopenings);

/// <summary>An event of the periods themselves.</summary>
public interface IPeriodEvent;

/// <summary>A fund's figures at a month's end, as they stood when the month closed.</summary>
public sealed record FundAtClose(Guid FundId, string Code, FundStatementReport Statement, TrialBalanceReport TrialBalance);

/// <summary>A finance officer asked to close a month; nothing is closed until a second finance officer confirms.</summary>
public sealed record MonthCloseRequested(LocalDate MonthEnd, string RequestedBy) : IPeriodEvent, ILedgerEvent<AccountingPeriods>
{
    Guid ILedgerEvent.StreamId => AccountingPeriods.StreamId;
    LocalDate ILedgerEvent.BusinessDate => MonthEnd;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("closing the books is not a transaction");
}

/// <summary>A close asked for and not confirmed was taken back (the wrong month, or not ready): nothing was closed.</summary>
public sealed record MonthCloseWithdrawn(LocalDate MonthEnd, string Reason, string WithdrawnBy) : IPeriodEvent, ILedgerEvent<AccountingPeriods>
{
    Guid ILedgerEvent.StreamId => AccountingPeriods.StreamId;
    LocalDate ILedgerEvent.BusinessDate => MonthEnd;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("closing the books is not a transaction");
}

/// <summary>
/// The month is closed for the whole ledger: nothing may be dated in it any more. It keeps every fund's statement and
/// trial balance at the month's end as they stood, which "as at the month end, as known on any later day" must equal.
/// </summary>
public sealed record MonthClosed(LocalDate MonthEnd, string RequestedBy, string ConfirmedBy, IReadOnlyList<FundAtClose> Funds)
    : IPeriodEvent, ILedgerEvent<AccountingPeriods>
{
    Guid ILedgerEvent.StreamId => AccountingPeriods.StreamId;
    LocalDate ILedgerEvent.BusinessDate => MonthEnd;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("closing the books is not a transaction");
}

/// <summary>December closed, and with it the year: what the regular budget had not allocated lapsed in the same step.</summary>
public sealed record YearClosed(int Year, string ConfirmedBy) : IPeriodEvent, ILedgerEvent<AccountingPeriods>
{
    Guid ILedgerEvent.StreamId => AccountingPeriods.StreamId;
    LocalDate ILedgerEvent.BusinessDate => new(Year, 12, 31);
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("closing the books is not a transaction");
}

/// <summary>An administrator opened a closed month again, with a reason; later months, if closed, open with it.</summary>
public sealed record MonthReopened(LocalDate MonthEnd, string Reason, string ReopenedBy, LocalDate ReopenedOn) : IPeriodEvent, ILedgerEvent<AccountingPeriods>
{
    Guid ILedgerEvent.StreamId => AccountingPeriods.StreamId;
    LocalDate ILedgerEvent.BusinessDate => MonthEnd;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("reopening the books is not a transaction");
}

/// <summary>Months as the books count them.</summary>
public static class Months
{
    public static LocalDate EndOf(LocalDate day) => day.With(DateAdjusters.EndOfMonth);

    public static LocalDate EndOfPrevious(LocalDate day) => day.With(DateAdjusters.StartOfMonth).PlusDays(-1);

    /// <summary>"2025-03" as that month's last day; null when it is not a month written so.</summary>
    public static LocalDate? Parse(string? text)
    {
        if (text is null || text.Length != 7 || text[4] != '-') return null;
        if (!int.TryParse(text.AsSpan(0, 4), System.Globalization.NumberStyles.None, null, out var year)
            || !int.TryParse(text.AsSpan(5, 2), System.Globalization.NumberStyles.None, null, out var month)) return null;
        if (year < 1945 || year > 2100 || month is < 1 or > 12) return null;
        return EndOf(new LocalDate(year, month, 1));
    }
}
