using Funding.Shared;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace Funding.Rates.Viewing;

public sealed record RateAnswer(string Currency, LocalDate On, decimal UnitsPerUsd, LocalDate EffectiveOn, string Reference);

public static class RateEndpoints
{
    [WolverineGet("/api/rates/{currency}")]
    [Tags("Rates")]
    [EndpointSummary("A currency's rates, each with the rates it replaced")]
    public static async Task<IResult> History(string currency, IQuerySession session, CancellationToken cancellation)
    {
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        return rates?.Currencies.GetValueOrDefault(currency) is { } entries ? Results.Ok(entries) : Results.NotFound();
    }

    [WolverineGet("/api/rates/{currency}/on/{date}")]
    [Tags("Rates")]
    [EndpointSummary("The UN operational rate in force for a currency on a date")]
    public static async Task<IResult> InForce(string currency, string date, IQuerySession session, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (QueryDates.Parse("date", date, errors) is not { } day) return Results.ValidationProblem(errors);
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var entry = rates?.InForce(currency, day);
        return entry is null
            ? Results.Problem(statusCode: 404, title: "No rate in force", detail: $"No rate for {currency} is in force on {date}.")
            : Results.Ok(new RateAnswer(currency, day, entry.UnitsPerUsd, entry.EffectiveOn, entry.Reference));
    }
}
