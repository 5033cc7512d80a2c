using System.Data.Common;
using Weasel.Core;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace Funding.Hosting.Schema;

/// <summary>
/// An object a later design replaced: its desired state is that it does not exist. Found, it is a change whose
/// statement drops it, so db-patch writes the drop into a migration and the embedded default applies it.
/// </summary>
public abstract class AbsentObject(DbObjectName identifier) : ISchemaObject
{
    public DbObjectName Identifier => identifier;

    protected abstract string DropStatement { get; }

    /// <summary>Appends the catalog query that returns a row when the object exists.</summary>
    public abstract void ConfigureQueryCommand(DbCommandBuilder builder);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(DropStatement);

    public void WriteDropStatement(Migrator rules, TextWriter writer)
    {
        // Nothing to undo: what was dropped belonged to the design this one replaced.
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct) =>
        new SchemaObjectDelta(this, await reader.ReadAsync(ct) ? SchemaPatchDifference.Update : SchemaPatchDifference.None);

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return identifier;
    }
}
