using System.Globalization;
using Funding.Ledger;
using Marten;

namespace Funding.Audit;

/// <summary>
/// Puts each event's business date in its headers as it is appended, so the hash chain covers it and an auditor's
/// search by date needs no knowledge of each event's fields.
/// </summary>
public sealed class BusinessDateStamp : DocumentSessionListenerBase
{
    public const string Header = "businessDate";

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
        {
            foreach (var e in stream.Events)
            {
                e.SetHeader(Header, Of(e.Data));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The header's value for an event.</summary>
    public static string Of(object data) => BusinessDates.Of(data).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
