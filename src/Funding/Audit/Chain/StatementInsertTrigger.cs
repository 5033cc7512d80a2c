using Funding.Hosting.Schema;
using Weasel.Core;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace Funding.Audit.Chain;

/// <summary>
/// An AFTER INSERT trigger run once per statement, over all the rows it inserted (a transition table), which Weasel's
/// own Trigger cannot express.
/// </summary>
public sealed class StatementInsertTrigger(PostgresqlObjectName identifier, PostgresqlObjectName table, string newRows, string functionCall)
    : DefinitionComparedObject(identifier)
{
    protected override string CreateStatement() =>
        $"CREATE TRIGGER {identifier.Name} AFTER INSERT ON {table.QualifiedName} REFERENCING NEW TABLE AS {newRows} " +
        $"FOR EACH STATEMENT EXECUTE FUNCTION {functionCall}";

    public override void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"DROP TRIGGER IF EXISTS {identifier.Name} ON {table.QualifiedName};");

    public override void ConfigureQueryCommand(DbCommandBuilder builder) => TriggerDefinition.Query(builder, identifier, table);
}

/// <summary>A trigger that must not exist (one a later design replaced): dropped where found.</summary>
public sealed class AbsentTrigger(PostgresqlObjectName identifier, PostgresqlObjectName table) : AbsentObject(identifier)
{
    protected override string DropStatement => $"DROP TRIGGER IF EXISTS {identifier.Name} ON {table.QualifiedName};";

    public override void ConfigureQueryCommand(DbCommandBuilder builder) => TriggerDefinition.Query(builder, identifier, table);
}

/// <summary>A function that must not exist (one a later design replaced): dropped where found.</summary>
public sealed class AbsentFunction(PostgresqlObjectName identifier) : AbsentObject(identifier)
{
    protected override string DropStatement => $"DROP FUNCTION IF EXISTS {identifier.QualifiedName}();";

    public override void ConfigureQueryCommand(DbCommandBuilder builder)
    {
        var name = builder.AddParameter(identifier.Name).ParameterName;
        var schema = builder.AddParameter(identifier.Schema).ParameterName;
        builder.Append($"""

            SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proname = :{name} AND n.nspname = :{schema};
            """);
    }
}

static class TriggerDefinition
{
    public static void Query(DbCommandBuilder builder, PostgresqlObjectName identifier, PostgresqlObjectName table)
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
