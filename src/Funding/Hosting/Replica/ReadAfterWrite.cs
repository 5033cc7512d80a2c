using System.Globalization;
using Marten;
using Weasel.Postgresql;

namespace Funding.Hosting.Replica;

/// <summary>
/// Read your own writes: after a write commits, its answer carries the primary's WAL position (header
/// Funding-Written-At, and a short-lived cookie for the browser). A request that brings it back (the cookie, or the
/// header Funding-Read-After) reads from the standby only once the standby has replayed that far, and from the
/// primary until then.
/// </summary>
public static class ReadAfterWrite
{
    public const string Cookie = "funding_read_after";
    public const string ResponseHeader = "Funding-Written-At";
    public const string RequestHeader = "Funding-Read-After";
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Stamps a committed write's answer with where the primary's log stands now: at or after the write.</summary>
    public static async Task StampAsync(HttpContext http, IDocumentStore store, CancellationToken cancellation)
    {
        if (http.RequestServices.GetService<ReadReplica>() is not { Configured: true }) return;
        var lsn = await PrimaryPositionAsync(store, cancellation);
        http.Response.Headers[ResponseHeader] = lsn;
        http.Response.Cookies.Append(Cookie, lsn, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = Lifetime, Path = "/",
        });
    }

    /// <summary>
    /// Where the primary's write-ahead log stands now ("16/B374D848"): the insert position, past the end of every
    /// committed transaction's record. The write position (pg_current_wal_lsn) can still be short of a commit under
    /// synchronous_commit=off, and a standby replayed that far would not yet show the write.
    /// </summary>
    public static async Task<string> PrimaryPositionAsync(IDocumentStore primary, CancellationToken cancellation)
    {
        await using var command = ((PostgresqlDatabase)primary.Storage.Database).DataSource.CreateCommand("select pg_current_wal_insert_lsn()::text");
        return (string)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The position the reader asked to read after, if any and well formed.</summary>
    public static ulong? Of(HttpContext http)
    {
        var given = http.Request.Headers[RequestHeader].ToString() is { Length: > 0 } header ? header : http.Request.Cookies[Cookie];
        return TryParse(given, out var lsn) ? lsn : null;
    }

    /// <summary>A PostgreSQL LSN ("16/B374D848") as one number.</summary>
    public static ulong Parse(string lsn) =>
        TryParse(lsn, out var value) ? value : throw new FormatException($"'{lsn}' is not a WAL position.");

    static bool TryParse(string? lsn, out ulong value)
    {
        value = 0;
        if (lsn?.Split('/') is not [var high, var low]
            || !uint.TryParse(high, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h)
            || !uint.TryParse(low, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var l)) return false;
        value = ((ulong)h << 32) | l;
        return true;
    }
}
