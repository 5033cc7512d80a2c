using Microsoft.AspNetCore.Mvc;
using Funding.Shared;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace Funding.Rates.Viewing;

public sealed record RateAnswer(string Currency, LocalDate On, decimal UnitsPerUsd, LocalDate EffectiveOn, string Reference);

public static class RateEndpoints
{
    [WolverineGet("/api/rates/{currency}")]
    [ProducesResponseType<IReadOnlyList<RateEntry>>(StatusCodes.Status200OK)]
    [Tags("Rates")]
    [EndpointSummary("A currency's rates, each with the rates it replaced")]
    public static async Task<IResult> History(string currency, IQuerySession session, CancellationToken cancellation)
    {
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        return rates?.Currencies.GetValueOrDefault(currency) is { } entries ? Results.Ok(entries) : NoRates(currency, "No rates have been loaded for it.");
    }

    [WolverineGet("/api/rates/{currency}/on/{date}")]
    [ProducesResponseType<RateAnswer>(StatusCodes.Status200OK)]
    [Tags("Rates")]
    [EndpointSummary("The UN operational rate in force for a currency on a date")]
    public static async Task<IResult> InForce(string currency, string date, IQuerySession session, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (QueryDates.Parse("date", date, errors) is not { } day) return Results.ValidationProblem(errors);
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var entry = rates?.InForce(currency, day);
        return entry is null
            ? NoRates(currency, $"No rate for it is in force on {date}.")
            : Results.Ok(new RateAnswer(currency, day, entry.UnitsPerUsd, entry.EffectiveOn, entry.Reference));
    }

    static IResult NoRates(string currency, string why) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No rate",
        Detail = $"{currency}: {why}",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { ["currency"] = [why] } },
    });
}
