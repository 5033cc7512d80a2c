using Funding.Ledger;
using NodaTime;

namespace Funding.Rates;

public enum RevisionKind
{
    /// <summary>The monthly revision: every currency.</summary>
    Monthly,

    /// <summary>A mid-month revision: only the currencies whose rate changed.</summary>
    MidMonth,
}

/// <summary>A UN operational rate: units of the currency per 1 USD.</summary>
public sealed record QuotedRate(string Currency, decimal UnitsPerUsd);

/// <summary>
/// A revision of the UN operational rates of exchange took effect. A rate given again for a currency and
/// effective date replaces the earlier one; the earlier one stays in the history.
/// </summary>
public sealed record OperationalRatesPublished(
    LocalDate EffectiveOn, RevisionKind Kind, string Reference, IReadOnlyList<QuotedRate> Rates, string Source) : ILedgerEvent<OperationalRates>
{
    Guid ILedgerEvent.StreamId => OperationalRates.StreamId;
    LocalDate ILedgerEvent.BusinessDate => EffectiveOn;
    IReadOnlyList<PostingLine> ILedgerEvent.Postings => Postings.Nothing;
    IatiTreatment ILedgerEvent.Iati => new IatiTreatment.NotReported("exchange rates are reference data, not a transaction");
}
