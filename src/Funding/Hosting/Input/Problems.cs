using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace Funding.Hosting.Input;

/// <summary>The answers to a request the ledger will not take, each naming the field it is about.</summary>
public static class Problems
{
    public const string InvalidTitle = "The request has invalid fields";

    /// <summary>A refusal by a named rule: the rule is in the body (<c>rule</c>) and in the problem's type.</summary>
    public static ProblemDetails Rule(int status, string title, string detail, string rule)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"urn:funding:rule:{rule}" };
        problem.Extensions["rule"] = rule;
        return problem;
    }

    /// <summary>Answers from middleware, before any endpoint: the problem's status, when to try again, and the problem.</summary>
    public static async ValueTask RefuseAsync(HttpContext http, ProblemDetails problem, int retryAfterSeconds)
    {
        http.Response.StatusCode = problem.Status!.Value;
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>"1 write", "4 writes": counts in problem details read as sentences.</summary>
    public static string Counted(int count, string noun) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.Problem(new ValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = InvalidTitle });

    /// <summary>An id that names nothing: a 404 with the field the id came in and what it should have named.</summary>
    public static IResult NotFound(string field, string what, Guid? id = null) => Results.Problem(new ValidationProblemDetails(
        new Dictionary<string, string[]> { [field] = [$"Unknown {what}."] })
    {
        Status = StatusCodes.Status404NotFound,
        Title = $"No such {what}",
        Detail = id is { } given ? $"There is no {what} with the id {given}." : $"There is no {what} with that id.",
    });
}

/// <summary>Turns a body the JSON reader refused into the field it is about and a sentence a person can act on.</summary>
public static partial class JsonProblem
{
    /// <param name="body">The type the body was read as, to tell what the field at the path should have been.</param>
    public static (string Field, string Message) Describe(JsonException e, Type body)
    {
        var field = FieldOf(e.Path);
        var message = e.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
            return (Join(field, unmapped.Groups[1].Value), "This field is not part of the request: leave it out.");
        if (DuplicateProperty().Match(message) is { Success: true } duplicate)
            return (Join(field, duplicate.Groups[1].Value), "This field is given more than once: give it once.");
        if (NotConverted().IsMatch(message))
            return (field, $"Expected {Expected(TypeAt(body, field))}.");
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return (field, "The JSON is nested too deeply for this request.");
        // The reader's own words on malformed JSON (its exception is internal: known by name), without the position noise.
        var sentence = message.Split(" Path: ")[0].Split(" LineNumber: ")[0].Trim();
        return e.InnerException?.GetType().Name == "JsonReaderException" || e.GetType() != typeof(JsonException)
            ? ("body", $"The body is not valid JSON: {sentence}")
            : (field, sentence);
    }

    static string FieldOf(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>The reader's path stops at the object (an unknown field) or at the field itself (one given twice).</summary>
    static string Join(string field, string name) =>
        field == "body" ? name : field == name || field.EndsWith($".{name}", StringComparison.Ordinal) ? field : $"{field}.{name}";

    /// <summary>
    /// The type of the field at a path such as "instalments[0].amount.amount", found from the body's type: the reader
    /// names the type it was building, which for a record is the record, not the field.
    /// </summary>
    static Type? TypeAt(Type body, string field)
    {
        Type? type = body;
        foreach (var segment in field.Split('.'))
        {
            var name = segment.Split('[')[0];
            type = type?.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            if (segment.Contains('[') && type is not null) type = ElementOf(type);
        }

        return type;
    }

    static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type).FirstOrDefault(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(NodaTime.LocalDate)) return $"a date as yyyy-MM-dd between {BusinessDateConverter.Earliest:uuuu-MM-dd} and {BusinessDateConverter.Latest:uuuu-MM-dd}";
        if (type == typeof(decimal) || type == typeof(int) || type == typeof(long)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(Guid)) return "an id (a UUID in quotes)";
        if (type == typeof(string)) return "text in quotes";
        if (type is { IsEnum: true }) return $"one of {string.Join(", ", Enum.GetNames(type))}";
        if (type is not null && type != typeof(string) && ElementOf(type) is not null) return "a list in [ ]";
        return type is null ? "another value" : "an object in { }";
    }

    [GeneratedRegex("The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("[Dd]uplicate property '(.+?)'|property '(.+?)' .*more than once")]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex("The JSON value could not be converted to (.+?)\\. Path")]
    private static partial Regex NotConverted();
}
