using Funding.Funds;
using Funding.Ledger;
using Funding.Rates;
using Funding.Shared;
using Marten;

namespace Funding.Contributions;

public static class ContributionIds
{
    // Never change: existing references would map to new streams.
    static readonly Guid Namespace = new("3b1f2c4d-8e7a-4f60-b2d9-5c6e7f8a9b01");

    /// <summary>A contribution is known by its agreement reference; the same reference is always the same stream.</summary>
    public static Guid For(string reference) => DeterministicGuid.Create(Namespace, reference.Trim());
}

/// <summary>Who gives to which fund, in which currency: the parts every step of a contribution must agree on.</summary>
public static class ContributionParties
{
    /// <summary>Checks the parts every contribution command shares.</summary>
    public static void Check(ValidationErrors errors, string? reference, Guid? fundId, string? donor)
    {
        if (string.IsNullOrWhiteSpace(reference)) errors.Add("reference", "The contribution's reference (e.g. the agreement number) is required.");
        else if (reference.Length > 80) errors.Add("reference", "Keep the reference to 80 characters.");
        if (fundId is null || fundId == Guid.Empty) errors.Add("fundId", "The fund receiving the contribution is required.");
        if (string.IsNullOrWhiteSpace(donor)) errors.Add("donor", "The donor is required.");
        else if (donor.Length > 200) errors.Add("donor", "Keep the donor's name to 200 characters.");
    }

    /// <summary>A later step of a contribution must name the same fund, donor and currency as the first.</summary>
    public static Rejection? Mismatch(Contribution? existing, Guid fundId, string donor, string currency)
    {
        if (existing is null) return null;
        if (existing.FundId != fundId)
            return new Rejection("contribution-fund-mismatch", "This reference belongs to a contribution to another fund.", "fundId");
        if (!string.Equals(existing.Donor, donor.Trim(), StringComparison.Ordinal))
            return new Rejection("contribution-donor-mismatch", $"This reference belongs to a contribution from {existing.Donor}.", "donor");
        if (existing.Currency != currency)
            return new Rejection("contribution-currency-mismatch", $"This contribution is in {existing.Currency}; record every step of it in that currency.", "amount.currency");
        return null;
    }
}

/// <summary>How a step of a contribution that writes only its own stream is recorded.</summary>
public static class ContributionStep
{
    /// <summary>
    /// Answers a repeated Idempotency-Key, loads the fund, the contribution's stream and the rate table, decides,
    /// appends, and answers with what was recorded.
    /// </summary>
    public static async Task<IResult> Record(
        object command, Guid fundId, string reference, Func<Contribution?, Fund, OperationalRates?, Decision> decide,
        IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        if (answered is not null) return answered;

        await ReadModelLocks.ForFundAsync(session, fundId, cancellation);
        var fund = await session.LoadAsync<Fund>(fundId, cancellation);
        if (fund is null) return Rejection.NotFound("fundId", "fund");

        var id = ContributionIds.For(reference);
        var stream = await session.Events.FetchForWriting<Contribution>(id, cancellation);
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var decision = decide(stream.Aggregate, fund, rates);
        if (!decision.IsRejected) stream.AppendMany(decision.Events);
        var answer = decision.Rejection is { } rejection
            ? rejection.ToResult()
            : Results.Created($"/api/contributions/{id}", Recorded.From(id, decision.Events));
        return request?.Remember(session, answer) ?? answer;
    }
}
