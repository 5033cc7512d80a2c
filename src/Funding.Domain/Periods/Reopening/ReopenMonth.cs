using System.Text.Json.Serialization;
using Funding.Shared;
using NodaTime;

namespace Funding.Periods.Reopening;

/// <summary>Open a closed month again (an administrator, with a reason). Every later closed month opens with it.</summary>
public sealed record ReopenMonth(string? Month, string? Reason) : ICommand, IChangesPeriods
{
    [JsonIgnore]
    public Guid PeriodsId => AccountingPeriods.StreamId;

    [JsonIgnore]
    public LocalDate? MonthEnd => Months.Parse(Month);

    public void Validate(ValidationErrors errors, LocalDate today)
    {
        if (Month is null) errors.Add("month", "Say which month to reopen, as yyyy-MM.");
        else if (MonthEnd is null) errors.Add("month", $"'{Month}' is not a month written yyyy-MM.");
        if (string.IsNullOrWhiteSpace(Reason)) errors.Add("reason", "Reopening a closed month needs a reason; reports will show it.");
        else if (Reason.Length > 500) errors.Add("reason", "Keep the reason to 500 characters.");
    }

    public static Decision Decide(AccountingPeriods books, ReopenMonth command, string reopenedBy, LocalDate today)
    {
        var monthEnd = command.MonthEnd!.Value;
        if (!books.IsClosed(monthEnd))
            return new Rejection("not-closed", $"{monthEnd:yyyy-MM} is not closed{(books.ClosedThrough is { } t ? $" (the books are closed through {t:yyyy-MM-dd})" : "")}.", "month");
        return Decision.Accept(new MonthReopened(monthEnd, command.Reason!.Trim(), reopenedBy, today));
    }
}
