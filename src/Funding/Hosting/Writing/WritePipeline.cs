using Funding.Access;
using Funding.Ledger;
using Funding.Shared;
using JasperFx.Core;
using Funding.Periods;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Wolverine.Http;

namespace Funding.Hosting.Writing;

/// <summary>
/// The one way the ledger writes. <see cref="WritePipelinePolicy"/> generates these steps around every command
/// endpoint, in this order:
/// <list type="number">
/// <item>the command's own checks (<see cref="ICommand.Validate"/>): a 400 naming each field;</item>
/// <item>an Idempotency-Key is read (a malformed one is a 400);</item>
/// <item>the accounting periods' lock (shared; held alone by a close or a reopening) and the read models' locks, funds
/// before packages, each in id order (<see cref="ReadModelLocks"/>), at the head of Wolverine's batch that loads the
/// endpoint's aggregates for writing ([WriteAggregate]) and documents: one round trip, which also reads the last closed
/// day and, under those locks, the read models fed by many streams that the save's inline projections will fold;</item>
/// <item>a write outside the person's remit (<see cref="Remit"/>) stops with a 403; a key answered before is answered
/// again;</item>
/// <item>the endpoint decides;</item>
/// <item>a decision with an event dated in a closed month is refused (<c>period-closed</c>); otherwise its events are
/// appended to the streams they declare, and its answer is remembered with the key, in the transaction Wolverine then
/// commits;</item>
/// <item>the answer is written once the transaction has committed.</item>
/// </list>
/// With messaging configured, the save also puts the integration messages of what it records in the outbox, in the
/// same transaction (Integration.LedgerMessages, a listener of the store, so that imports publish the same way).
/// An endpoint only names its command, its aggregates and its decider: it cannot forget a step.
/// </summary>
public static partial class WritePipeline
{
    const string RequestItem = "funding.idempotent-request";
    const string LockedItem = "funding.locked-read-models";

    public static IResult Validate<TCommand>(TCommand command, IClock clock) where TCommand : ICommand
    {
        var errors = new ValidationErrors();
        command.Validate(errors, clock.GetCurrentInstant().InUtc().Date);
        return errors.IsEmpty ? WolverineContinue.Result() : Results.Problem(errors.ToProblemDetails());
    }

    public static IResult ReplayAsync<TCommand>(TCommand command, HttpContext http) where TCommand : ICommand
    {
        var (problem, request) = Idempotency.Read(http, command);
        if (problem is not null) return problem;
        if (request is not null) http.Items[RequestItem] = request;
        return WolverineContinue.Result();
    }

    /// <summary>
    /// Opens the write's transaction and returns its locks, which Wolverine's batch then takes ahead of the endpoint's
    /// aggregate loads: one round trip. The batch also reads what the key answered before.
    /// </summary>
    public static async Task<ReadModelLocks.LockPlan> LockAsync<TCommand>(TCommand command, HttpContext http, IDocumentSession session, CancellationToken cancellation)
        where TCommand : ICommand
    {
        var keys = ReadModelLocks.KeysOf(command, http.Request.RouteValues);
        if (command is IMovesMoneyOfPackageFunds { MovesFundMoney: true })
            keys = keys with { Funds = [.. keys.Funds, .. await ReadModelLocks.FundsOfPackagesAsync(session, keys.Packages, cancellation)] };
        var request = http.Items[RequestItem] as IdempotentRequest;
        return await ReadModelLocks.PrepareAsync(session, keys, changesPeriods: command is IChangesPeriods, request?.Key, cancellation);
    }

    /// <summary>
    /// Once locked and loaded, before the endpoint decides: a write outside the person's remit stops with a 403, and a
    /// request sent again is answered as the first time (after any write in flight on its funds has committed).
    /// </summary>
    public static async Task<IResult> AdmitAsync<TCommand>(
        TCommand command, ReadModelLocks.LockPlan plan, LockedReadModels locked, HttpContext http, IDocumentSession session, CancellationToken cancellation)
        where TCommand : ICommand
    {
        http.Items[LockedItem] = locked;
        // Outside the person's remit nothing runs, not even the answer to a key sent before.
        var auth = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (await Remit.RefusesAsync(http, command, plan.Keys, locked, session, auth.RequireScopes, cancellation) is { } outside) return outside;
        var request = http.Items[RequestItem] as IdempotentRequest;
        return request is not null && Idempotency.Answer(locked.Answered, request, http) is { } answered ? answered : WolverineContinue.Result();
    }

    /// <summary>The funds whose read models this write holds locked: the only funds it may load for writing.</summary>
    public static IReadOnlySet<Guid> LockedFunds(HttpContext http) => (http.Items[LockedItem] as LockedReadModels ?? LockedReadModels.None).Funds;

    /// <summary>Appends what was decided to the streams loaded for writing, and makes the answer; both commit together.</summary>
    public static Answer Record<TCommand>(TCommand command, Decision decision, HttpContext http, IDocumentSession session) where TCommand : ICommand =>
        Write(command, decision, http, session, creates: false);

    /// <summary>As <see cref="Record{TCommand}"/>, answering 201 with where the new record is read.</summary>
    public static Answer RecordCreating<TCommand>(TCommand command, Decision decision, HttpContext http, IDocumentSession session) where TCommand : ICommand =>
        Write(command, decision, http, session, creates: true);

    static Answer Write(ICommand command, Decision decision, HttpContext http, IDocumentSession session, bool creates)
    {
        var locked = http.Items[LockedItem] as LockedReadModels ?? LockedReadModels.None;
        // No event may be dated in a closed month, whatever the command: the periods are read under the lock they share.
        if (!decision.IsRejected && locked.Closed?.Refuses(decision.Events, day => ClosedBooks.FieldDated(command, day)) is { } closed)
            decision = closed;
        // Every stream the endpoint loaded for writing, in the order of its [WriteAggregate] parameters.
        var streams = session.PendingChanges.Streams().Where(x => x.ExpectedVersionOnServer is not null).ToList();
        var loaded = streams.Select(x => x.Id).ToList();
        var started = streams.Where(x => x.ExpectedVersionOnServer == 0).Select(x => x.Id).ToHashSet();
        IResult result;
        if (decision.Rejection is { } rejection)
        {
            result = rejection.ToResult();
        }
        else
        {
            foreach (var e in decision.Events)
            {
                if (!loaded.Contains(e.StreamId))
                    throw new InvalidOperationException($"{e.GetType().Name} belongs to stream {e.StreamId}, which the endpoint did not load for writing.");
                if (!locked.Covers(e, started))
                    throw new InvalidOperationException($"{e.GetType().Name} feeds read models of a fund or package that the write did not lock.");
                session.Events.Append(e.StreamId, e);
            }

            var recorded = Recorded.From(AnsweredFor(http, loaded, decision), decision.Events);
            var body = decision.Answer?.Invoke(recorded) ?? recorded;
            result = creates ? Results.Created(CreatedAt(http, recorded.Id), body) : Results.Ok(body);
        }

        var request = http.Items[RequestItem] as IdempotentRequest;
        return new Answer(request?.Remember(session, result) ?? result);
    }

    /// <summary>The record the answer names: the one the route names, else the endpoint's first aggregate.</summary>
    static Guid AnsweredFor(HttpContext http, IReadOnlyList<Guid> loaded, Decision decision)
    {
        var named = ((string[])["packageId", "fundId", "contributionId"]).SelectMany(name => ReadModelLocks.RouteId(http.Request.RouteValues, name));
        return named.Where(loaded.Contains).FirstOrDefault(loaded.FirstOrDefault(decision.Events.Select(x => x.StreamId).FirstOrDefault()));
    }

    public static async Task AnswerAsync(Answer answer, HttpContext http, IDocumentStore store, CancellationToken cancellation)
    {
        // Committed: with a standby, the answer says where the primary's log stands, so the writer's next read sees this.
        await Replica.ReadAfterWrite.StampAsync(http, store, cancellation);
        await answer.Result.ExecuteAsync(http);
    }

    /// <summary>A new record is found under its collection: POST /api/contributions/deposits creates /api/contributions/{id}.</summary>
    static string CreatedAt(HttpContext http, Guid id) => $"/api/{http.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries)[1]}/{id}";
}

/// <summary>What a write answers, made before its transaction commits and written after.</summary>
public sealed record Answer(IResult Result);
