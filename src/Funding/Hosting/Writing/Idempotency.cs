using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Funding.Hosting;
using Funding.Hosting.Telemetry;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Funding.Shared;

/// <summary>
/// The answer given to a write sent with an Idempotency-Key, kept for good in the ledger database. It is written in
/// the same transaction as the command's events, so a key is either fully applied and remembered, or neither.
/// </summary>
public sealed record IdempotencyRecord(string Id, string Path, string RequestHash, int StatusCode, string? Location, string Body, DateTimeOffset RecordedAt);

/// <summary>A keyed write that has not been answered before.</summary>
/// <param name="CorrelationId">The request's correlation id: a refusal's ProblemDetails carries it, and so does its replay.</param>
public sealed record IdempotentRequest(string Key, string Path, string RequestHash, string CorrelationId)
{
    /// <summary>Remembers the answer in the command's unit of work and returns it unchanged.</summary>
    public IResult Remember(IDocumentSession session, IResult answer)
    {
        var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var value = (answer as IValueHttpResult)?.Value;
        if (value is ProblemDetails problem) problem.Extensions["correlationId"] = CorrelationId;
        // Every Created<T> has a Location; they share no interface that exposes it.
        var location = answer.GetType().GetProperty(nameof(Created.Location))?.GetValue(answer) as string;
        session.Insert(new IdempotencyRecord(Key, Path, RequestHash, status, location,
            value is null ? "" : JsonSerializer.Serialize(value, value.GetType(), Idempotency.Json), DateTimeOffset.UtcNow));
        return answer;
    }
}

public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    internal static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    /// <summary>
    /// Before a keyed write: a 400 when the key is not one, else the request to look up (it is read with the write's
    /// locks, in the same round trip). Without a key there is nothing to do.
    /// </summary>
    public static (IResult? Problem, IdempotentRequest? Request) Read(HttpContext http, object command)
    {
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return (null, null);
        var key = values.ToString().Trim();
        if (key.Length is 0 or > 200 || key.Any(char.IsControl))
        {
            return (Results.ValidationProblem(new Dictionary<string, string[]> { [Header] = ["Use 1 to 200 printable characters."] }), null);
        }

        var path = http.Request.Path.ToString();
        return (null, new IdempotentRequest(key, path, Hash(path, command), CorrelationScope.Of(http)));
    }

    /// <summary>
    /// The stored answer when the same request comes again, a 409 when the key was used for a different request, or
    /// null when the key is new and the write goes ahead.
    /// </summary>
    public static IResult? Answer(IdempotencyRecord? stored, IdempotentRequest request, HttpContext http)
    {
        if (stored is null) return null;
        if (stored.Path != request.Path || stored.RequestHash != request.RequestHash)
        {
            return Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Idempotency-Key already used",
                Detail = $"This key was used on {stored.RecordedAt:yyyy-MM-dd HH:mm} UTC for a different request; use a new key for a new request.",
            });
        }

        if (stored.Location is not null) http.Response.Headers.Location = stored.Location;
        http.Response.Headers["Idempotent-Replay"] = "true";
        return Results.Content(stored.Body, stored.StatusCode >= 400 ? "application/problem+json" : "application/json", Encoding.UTF8, stored.StatusCode);
    }

    static string Hash(string path, object command)
    {
        var canonical = path + "\n" + JsonSerializer.Serialize(command, command.GetType(), Json);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
