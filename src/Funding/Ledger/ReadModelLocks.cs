using Marten;
using Npgsql;

namespace Funding.Ledger;

/// <summary>
/// A fund's statement and trial balance, and a package's funding status, are inline read models fed by many
/// streams: each deposit arrives on its own contribution stream, each transfer on its fund's. Within SaveChanges
/// Marten reads such a document, applies the new events and writes it back. Two transactions doing that at once for
/// one fund would each write back their own copy, and one's events would be missing from it. So every write that
/// feeds them first locks the stream rows of the funds and packages it touches: funds before packages, each in id
/// order, so that no two writers wait for each other. The second writer waits for the first to commit, then reads
/// what it wrote.
/// </summary>
public static class ReadModelLocks
{
    public static Task ForFundAsync(IDocumentSession session, Guid fundId, CancellationToken cancellation) =>
        TakeAsync(session, [fundId], [], cancellation);

    public static Task ForPackageAsync(IDocumentSession session, Guid packageId, CancellationToken cancellation) =>
        TakeAsync(session, [], [packageId], cancellation);

    public static async Task TakeAsync(IDocumentSession session, IEnumerable<Guid> funds, IEnumerable<Guid> packages, CancellationToken cancellation)
    {
        // The locks last until the session commits: it must be in its transaction before taking them.
        await session.BeginTransactionAsync(cancellation);
        foreach (var ids in new[] { funds, packages })
        {
            var ordered = ids.Distinct().Order().ToArray();
            if (ordered.Length == 0) continue;
            await using var command = new NpgsqlCommand(
                $"select id from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_streams where id = any(@ids) order by id for update",
                (NpgsqlConnection)session.Connection!);
            command.Parameters.AddWithValue("ids", ordered);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
            }
        }
    }
}
