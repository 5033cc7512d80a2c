using Marten;
using Marten.Pagination;

namespace Funding.Shared;

/// <summary>A page of a list: 1-based, at most 500 items, 100 unless asked. The total goes in X-Total-Count.</summary>
public sealed record Page(int Number, int Size)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 500;
    public const string TotalHeader = "X-Total-Count";

    public static (Page? Page, IResult? Problem) From(int? page, int? pageSize)
    {
        var errors = new ValidationErrors();
        if (page is < 1) errors.Add("page", "Pages start at 1.");
        if (pageSize is < 1 or > MaxSize) errors.Add("pageSize", $"A page holds 1 to {MaxSize} items.");
        return errors.IsEmpty
            ? (new Page(page ?? 1, pageSize ?? DefaultSize), null)
            : (null, Results.Problem(errors.ToProblemDetails()));
    }

    public async Task<IResult> Of<T>(IQueryable<T> query, HttpContext http, CancellationToken cancellation)
    {
        var items = await query.ToPagedListAsync(Number, Size, cancellation);
        http.Response.Headers[TotalHeader] = items.TotalItemCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok(items.ToList());
    }

    public IResult Of<T>(IReadOnlyList<T> all, HttpContext http) => Of(all.Skip((Number - 1) * Size).Take(Size).ToList(), all.Count, http);

    /// <summary>A page already cut by the database, with the total it counted.</summary>
    public IResult Of<T>(IReadOnlyList<T> page, long total, HttpContext http)
    {
        http.Response.Headers[TotalHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok(page);
    }

    /// <summary>A page that writes itself to the body as JSON (from PostgreSQL), with the total counted beforehand.</summary>
    public IResult OfJson(long total, Func<Stream, Task> write, HttpContext http)
    {
        http.Response.Headers[TotalHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Buffered: the rows come one by one, and each write to the body would otherwise be a send of its own.
        return Results.Stream(async body =>
        {
            await using var buffered = new BufferedStream(body, 64 * 1024);
            await write(buffered);
        }, "application/json; charset=utf-8");
    }
}
