using System.Globalization;
using System.Text.Json;
using Funding.Importing;
using Funding.Ledger;
using Npgsql;

namespace Funding.Hosting.Writing;

/// <summary>
/// How a file is written, the third stage of an import (Importing/): the whole file in one transaction, through Marten's
/// ordinary append, so inline read models and the hash-chain trigger see every event; the funds' read models locked as
/// any write locks them; each stream expected where the decision found it; the file's digest remembered in the same
/// transaction, as a command's Idempotency-Key is.
/// </summary>
/// <summary>A month closed between deciding a file and writing it: nothing of the file is written.</summary>
public sealed class PeriodClosedMeanwhileException(string message) : Exception(message);

public static partial class WritePipeline
{
    static readonly TimeSpan WriteTimeout = TimeSpan.FromMinutes(30);

    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    public static async Task WriteFileAsync(IDocumentStore store, ImportPlan plan, ImportSummary summary, string key, ImportActor actor, CancellationToken cancellation)
    {
        // One transaction for the whole file: its larger commands may run far past the default 30 s command timeout.
        await using var session = store.LightweightSession(new Marten.Services.SessionOptions { Timeout = (int)WriteTimeout.TotalSeconds });
        session.LastModifiedBy = actor.User;
        session.CorrelationId = actor.CorrelationId;
        session.CausationId = actor.Causation;
        if (actor.Roles is { } roles) session.SetHeader(ActorStamp.RolesHeader, roles);
        // The funds' statements and trial balances change with the file: no other writer to them meanwhile.
        var funds = plan.Writes.SelectMany(x => x.Events).Select(x => x.Event).OfType<IFundEvent>().Select(x => x.FundId).Distinct().ToList();
        var locked = await ReadModelLocks.TakeAsync(session, new ReadModelKeys(funds, [], []), cancellation);
        // A month closed since the file was decided: the file is refused whole, as a write that lost a race is.
        if (locked.Closed?.Refuses(plan.Writes.SelectMany(x => x.Events).Select(x => (ILedgerEvent)x.Event), _ => null) is { } closed)
            throw new PeriodClosedMeanwhileException(closed.Message);
        // A pooled connection keeps the plans its server process made for the hash-chain triggers, perhaps when the
        // event table was tiny: kept through an import that grows it by many thousand rows in one transaction, such a
        // plan would scan the whole table per event.
        await using (var discard = new NpgsqlCommand("discard plans", (NpgsqlConnection)session.Connection!))
        {
            await discard.ExecuteNonQueryAsync(cancellation);
        }

        foreach (var write in plan.Writes)
        {
            var events = write.Events.Select(x => x.Event).ToArray();
            var action = write.Version == 0
                ? session.Events.StartStream(write.Aggregate, write.StreamId, events)
                : session.Events.Append(write.StreamId, write.Version + events.Length, events);
            for (var i = 0; i < events.Length; i++)
            {
                action.Events[i].SetHeader(LedgerImport.ImportHeader, summary.Digest);
                action.Events[i].SetHeader(LedgerImport.LineHeader, write.Events[i].Line.ToString(CultureInfo.InvariantCulture));
            }
        }

        // The digest is remembered in the same transaction: the file is recorded and remembered, or neither.
        session.Insert(new IdempotencyRecord(key, $"import {summary.Kind}", summary.Digest, StatusCodes.Status200OK, null,
            JsonSerializer.Serialize(summary, Json), summary.At));
        // The hash chain's heads move in a trigger deferred to commit, once per event: 200,000 of them for 100,000
        // deposits. Fired here, after Marten's event appends (which it always sends first), they run as a command of
        // this session with its long timeout; left to COMMIT, Npgsql gives them only the connection's 30 s.
        session.QueueSqlCommand("set constraints all immediate");
        await session.SaveChangesAsync(cancellation);
    }
}
