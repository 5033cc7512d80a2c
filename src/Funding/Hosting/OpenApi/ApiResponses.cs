using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Http;

namespace Funding.Hosting.OpenApi;

/// <summary>
/// Every API endpoint declares each refusal it can answer, in the shape it answers it, so that a client knows every
/// status before meeting one. What it answers on success is declared on the endpoint itself.
/// </summary>
public sealed class ApiResponses : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(x => x.RoutePattern?.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true))
        {
            var write = chain.HttpMethods.Any(x => x is "POST" or "PUT");
            // Input that does not read (query, route, headers, body): InputGuard and the commands' Validate.
            chain.Metadata.ProducesValidationProblem();
            chain.Metadata.ProducesProblem(StatusCodes.Status401Unauthorized);
            // An id that names nothing, in the route or in the body.
            chain.Metadata.ProducesProblem(StatusCodes.Status404NotFound);
            // A role it is not for, or a fund or country outside the person's remit (reads too, with ScopedReads).
            chain.Metadata.ProducesProblem(StatusCodes.Status403Forbidden);
            // A write is also refused in a race, for its size or type, by the ledger's rules, over the person's rate limit,
            // and when more writes wait their turn than the node queues (WriteGate).
            if (!write) continue;
            chain.Metadata.ProducesProblem(StatusCodes.Status429TooManyRequests);
            chain.Metadata.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            chain.Metadata.ProducesProblem(StatusCodes.Status409Conflict);
            chain.Metadata.ProducesProblem(StatusCodes.Status413PayloadTooLarge);
            chain.Metadata.ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
            chain.Metadata.ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        }
    }
}
