using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Marten;
using Wolverine.Marten;

namespace Funding.Shared;

/// <summary>A command that is well formed but breaks a business rule. Nothing is appended.</summary>
/// <param name="Rule">A stable name for the rule, e.g. "allocation-exceeds-available-cash".</param>
/// <param name="Field">The command field the rule is about, if one is.</param>
public sealed record Rejection(string Rule, string Message, string? Field = null)
{
    public ProblemDetails ToProblemDetails()
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The ledger refused this command",
            Detail = Message,
            Type = $"urn:funding:rule:{Rule}",
        };
        problem.Extensions["rule"] = Rule;
        if (Field is not null) problem.Extensions["errors"] = new Dictionary<string, string[]> { [Field] = [Message] };
        return problem;
    }

    public IResult ToResult() => Results.Problem(ToProblemDetails());

    public static IResult NotFound(string field, string what) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = $"No such {what}",
        Detail = $"There is no {what} with that id.",
        Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [$"Unknown {what}."] } },
    });
}

/// <summary>What a decider returns: the events to append, or why not.</summary>
public readonly record struct Decision(IReadOnlyList<object> Events, Rejection? Rejection)
{
    public static Decision Accept(params object[] events) => new(events, null);
    public static implicit operator Decision(Rejection rejection) => new([], rejection);
    public bool IsRejected => Rejection is not null;

    /// <summary>For a [WriteAggregate] endpoint: the HTTP answer, and the events Wolverine appends (none if refused).</summary>
    /// <param name="answer">What to answer instead of the plain record, e.g. with the figures the decision was based on.</param>
    public (IResult, Events) ToResponse(Guid streamId, IDocumentSession session, IdempotentRequest? request, Func<Recorded, object>? answer = null)
    {
        var recorded = Rejection is null ? Recorded.From(streamId, Events) : null;
        var (result, events) = Rejection is { } rejection
            ? (rejection.ToResult(), new Events())
            : (Results.Ok(answer is null ? recorded : answer(recorded!)), new Events(Events));
        return (request?.Remember(session, result) ?? result, events);
    }
}
