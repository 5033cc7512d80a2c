using Marten;
using NodaTime;
using NodaTime.Text;
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
        var parsed = LocalDatePattern.Iso.Parse(date);
        if (!parsed.Success) return Results.ValidationProblem(new Dictionary<string, string[]> { ["date"] = [$"'{date}' is not a date (yyyy-MM-dd)."] });
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var entry = rates?.InForce(currency, parsed.Value);
        return entry is null
            ? Results.Problem(statusCode: 404, title: "No rate in force", detail: $"No rate for {currency} is in force on {date}.")
            : Results.Ok(new RateAnswer(currency, parsed.Value, entry.UnitsPerUsd, entry.EffectiveOn, entry.Reference));
    }
}
