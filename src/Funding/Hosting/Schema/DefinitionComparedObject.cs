using System.Data.Common;
using System.Text.RegularExpressions;
using Weasel.Core;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace Funding.Hosting.Schema;

/// <summary>
/// A schema object Weasel has no type for (a deferred trigger, an index on a table Marten defines), compared with the
/// database the way Weasel compares its own: the catalog's rendering of the object against the statement that would
/// create it, whitespace and case aside. So db-patch, db-assert and the health check see it like any other.
/// </summary>
public abstract partial class DefinitionComparedObject(DbObjectName identifier) : ISchemaObject
{
    public DbObjectName Identifier => identifier;

    /// <summary>The CREATE statement, written as PostgreSQL's pg_get_*def renders the object.</summary>
    protected abstract string CreateStatement();

    /// <summary>Appends the catalog query whose one column is the object's definition (no row: it does not exist).</summary>
    public abstract void ConfigureQueryCommand(DbCommandBuilder builder);

    public abstract void WriteDropStatement(Migrator rules, TextWriter writer);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        WriteDropStatement(migrator, writer);
        writer.WriteLine(CreateStatement() + ";");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        string? existing = null;
        if (await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct)) existing = await reader.GetFieldValueAsync<string>(0, ct);
        if (string.IsNullOrWhiteSpace(existing)) return new SchemaObjectDelta(this, SchemaPatchDifference.Create);
        return Normalise(existing) == Normalise(CreateStatement())
            ? new SchemaObjectDelta(this, SchemaPatchDifference.None)
            : new SchemaObjectDelta(this, SchemaPatchDifference.Update);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return identifier;
    }

    static string Normalise(string sql) => Whitespace().Replace(sql.Trim().TrimEnd(';'), " ").ToLowerInvariant();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
