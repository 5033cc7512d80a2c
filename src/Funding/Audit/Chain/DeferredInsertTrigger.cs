using Funding.Hosting.Schema;
using Funding.Shared;
using Weasel.Core;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace Funding.Audit.Chain;

/// <summary>
/// A row trigger that runs at commit (CREATE CONSTRAINT TRIGGER ... DEFERRABLE INITIALLY DEFERRED), which Weasel's own
/// Trigger cannot express.
/// </summary>
public sealed class DeferredInsertTrigger(PostgresqlObjectName identifier, PostgresqlObjectName table, string functionCall)
    : DefinitionComparedObject(identifier)
{
    protected override string CreateStatement() =>
        $"CREATE CONSTRAINT TRIGGER {identifier.Name} AFTER INSERT ON {table.QualifiedName} DEFERRABLE INITIALLY DEFERRED " +
        $"FOR EACH ROW EXECUTE FUNCTION {functionCall}";

    public override void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"DROP TRIGGER IF EXISTS {identifier.Name} ON {table.QualifiedName};");

    public override void ConfigureQueryCommand(DbCommandBuilder builder)
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
}
