using System.Data.Common;
using System.Text.RegularExpressions;
using Weasel.Core;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace Funding.Audit.Chain;

/// <summary>
/// A row trigger that runs at commit (CREATE CONSTRAINT TRIGGER ... DEFERRABLE INITIALLY DEFERRED), which Weasel's own
/// Trigger cannot express. It is compared with the database the way Weasel compares triggers, so db-patch and
/// db-assert see it.
/// </summary>
public sealed partial class DeferredInsertTrigger(PostgresqlObjectName identifier, PostgresqlObjectName table, string functionCall) : ISchemaObject
{
    public DbObjectName Identifier => identifier;

    string CreateStatement() =>
        $"CREATE CONSTRAINT TRIGGER {identifier.Name} AFTER INSERT ON {table.QualifiedName} DEFERRABLE INITIALLY DEFERRED " +
        $"FOR EACH ROW EXECUTE FUNCTION {functionCall};";

    public void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        WriteDropStatement(migrator, writer);
        writer.WriteLine(CreateStatement());
    }

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"DROP TRIGGER IF EXISTS {identifier.Name} ON {table.QualifiedName};");

    public void ConfigureQueryCommand(DbCommandBuilder builder)
    {
        var name = builder.AddParameter(identifier.Name).ParameterName;
        var relation = builder.AddParameter(table.Name).ParameterName;
        var schema = builder.AddParameter(table.Schema).ParameterName;
        builder.Append($"""

            SELECT pg_get_triggerdef(t.oid)
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND t.tgname = :{name} AND c.relname = :{relation} AND n.nspname = :{schema};
            """);
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
