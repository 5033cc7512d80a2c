using Marten;
using Marten.Services;
using Npgsql;
using Weasel.Postgresql;

namespace Funding.Hosting;

/// <summary>
/// Marten's log of a store's statements, with one more duty: it retires the store's connections when PostgreSQL
/// refuses a value. Statements are prepared automatically (see <see cref="LedgerStore.Tuned"/>), and Npgsql keeps its
/// own record of what it prepared on each connection. A statement refused while PostgreSQL reads its values (a NUL in
/// a text value, say) can leave that record out of step with the server, and the next valid statement on the
/// connection then fails (PooledConnectionTests). The edge refuses such text (TextRules); here every data exception
/// (SQLSTATE class 22) also clears the store's pool, so the connection is closed when its session gives it back.
/// Refusals while a statement runs (a duplicate key, a serialization failure) leave the connection sound and the pool
/// as it is.
/// </summary>
public sealed class LedgerLog(IMartenLogger inner) : IMartenLogger
{
    /// <summary>Wraps the store's log as it stands.</summary>
    public static void Attach(StoreOptions options)
    {
        if (options.Logger() is not LedgerLog) options.Logger(new LedgerLog(options.Logger()));
    }

    public IMartenSessionLogger StartSession(IQuerySession session) => new SessionLog(inner.StartSession(session), session);

    public void SchemaChange(string sql) => inner.SchemaChange(sql);

    sealed class SessionLog(IMartenSessionLogger inner, IQuerySession session) : IMartenSessionLogger
    {
        public void LogSuccess(NpgsqlCommand command) => inner.LogSuccess(command);

        public void LogSuccess(NpgsqlBatch batch) => inner.LogSuccess(batch);

        public void LogFailure(NpgsqlCommand command, Exception ex)
        {
            Retire(ex);
            inner.LogFailure(command, ex);
        }

        public void LogFailure(NpgsqlBatch batch, Exception ex)
        {
            Retire(ex);
            inner.LogFailure(batch, ex);
        }

        public void LogFailure(Exception ex, string message)
        {
            Retire(ex);
            inner.LogFailure(ex, message);
        }

        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) => inner.RecordSavedChanges(session, commit);

        public void OnBeforeExecute(NpgsqlCommand command) => inner.OnBeforeExecute(command);

        public void OnBeforeExecute(NpgsqlBatch batch) => inner.OnBeforeExecute(batch);

        /// <summary>
        /// Npgsql cannot retire one pooled connection, only clear its data source's pool: idle connections close at
        /// once, the one in use when it is given back. The edge refuses what PostgreSQL could not read, so this is rare.
        /// </summary>
        void Retire(Exception failure)
        {
            if (ValueRefused(failure) && session.Database is PostgresqlDatabase database) database.DataSource.Clear();
        }

        static bool ValueRefused(Exception? failure)
        {
            for (; failure is not null; failure = failure.InnerException)
                if (failure is PostgresException { SqlState: [ '2', '2', .. ] }) return true;
            return false;
        }
    }
}
