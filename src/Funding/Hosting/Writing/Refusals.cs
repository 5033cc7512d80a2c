using Funding.Hosting.Input;
using Funding.Shared;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funding.Hosting.Writing;

/// <summary>How the domain's refusals read over HTTP.</summary>
public static class Refusals
{
    /// <summary>Wolverine's Validate convention: NoProblems lets the endpoint run, anything else is answered as is.</summary>
    public static ProblemDetails ToProblemDetails(this ValidationErrors errors) => errors.IsEmpty
        ? WolverineContinue.NoProblems
        : new ValidationProblemDetails(errors.ToDictionary()) { Status = StatusCodes.Status400BadRequest, Title = Problems.InvalidTitle };

    /// <summary>A rule broken is a 422 naming the rule; a clash with what exists a 409; an id that names nothing a 404.</summary>
    public static ProblemDetails ToProblemDetails(this Rejection rejection)
    {
        if (rejection is { Kind: RefusalKind.NotFound, Field: { } missing })
        {
            var what = rejection.Rule.Replace("unknown-", "", StringComparison.Ordinal);
            return new ValidationProblemDetails(new Dictionary<string, string[]> { [missing] = [$"Unknown {what}."] })
            {
                Status = StatusCodes.Status404NotFound, Title = $"No such {what}", Detail = rejection.Message,
            };
        }

        var problem = rejection.Kind == RefusalKind.Conflict
            ? Problems.Rule(StatusCodes.Status409Conflict, "Conflict", rejection.Message, rejection.Rule)
            : Problems.Rule(StatusCodes.Status422UnprocessableEntity, "The ledger refused this command", rejection.Message, rejection.Rule);
        if (rejection.Field is { } field) problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [rejection.Message] };
        return problem;
    }

    public static IResult ToResult(this Rejection rejection) => Results.Problem(rejection.ToProblemDetails());
}
