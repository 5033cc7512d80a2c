using Marten;
using Wolverine.Http;
using Wolverine.Marten;

namespace Funding.Shared;

/// <summary>How a create endpoint answers: 201 with the new stream's address, its first event, and the Idempotency-Key contract.</summary>
public static class StreamCreation
{
    /// <summary>
    /// Starts the stream (a name-based id makes a second start collide) and answers with <paramref name="created"/>;
    /// a repeated Idempotency-Key gets the first answer and starts nothing.
    /// </summary>
    public static async Task<(IResult, IMartenOp)> Start<TAggregate>(
        object command, Guid streamId, object firstEvent, CreationResponse created, IDocumentSession session, HttpContext http,
        CancellationToken cancellation) where TAggregate : class
    {
        var (answered, request) = await Idempotency.Check(session, http, command, cancellation);
        if (answered is not null) return (answered, MartenOps.Nothing());

        var answer = Results.Created(created.Url, created);
        return (request?.Remember(session, answer) ?? answer, MartenOps.StartStream<TAggregate>(streamId, firstEvent));
    }
}
