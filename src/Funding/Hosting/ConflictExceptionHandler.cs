using Microsoft.AspNetCore.Diagnostics;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Funding.Hosting;

/// <summary>
/// Optimistic-concurrency failures and duplicate stream ids are the caller's conflict, not a server fault:
/// they answer 409 with ProblemDetails, and nothing was written.
/// </summary>
public sealed class ConflictExceptionHandler(IProblemDetailsService problemDetails, IDocumentStore store) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var detail = Describe(exception);
        if (detail is null) return false;

        var problem = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = detail };
        // A lost race on a stream: say where the stream is now, so the client can reload and decide again.
        if (Find<JasperFx.ConcurrencyException>(exception) is { Id: Guid streamId })
        {
            await using var session = store.QuerySession();
            var state = await session.Events.FetchStreamStateAsync(streamId, cancellationToken);
            problem.Extensions["streamId"] = streamId;
            problem.Extensions["currentVersion"] = state?.Version;
        }

        context.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
    }

    static T? Find<T>(Exception? exception) where T : Exception =>
        exception switch
        {
            null => null,
            T found => found,
            _ => Find<T>(exception.InnerException),
        };

    internal static string? Describe(Exception exception) => exception switch
    {
        JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException =>
            "It already exists: this record was created before, so nothing new was written.",
        JasperFx.DocumentAlreadyExistsException { DocType: var type } when type == typeof(Funding.Shared.IdempotencyRecord) =>
            "Another request with this Idempotency-Key was being recorded at the same moment; nothing was written twice. Send it again to get its answer.",
        JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException =>
            "Someone else changed it since you read it. Reload and try again; nothing was written.",
        _ => exception.InnerException is { } inner ? Describe(inner) : null,
    };
}
