using System.Diagnostics;
using Funding.Hosting.EmbeddedPostgres;
using JasperFx.CommandLine;
using Npgsql;

namespace Funding.Hosting.CommandLine;

/// <summary>
/// psql on the ledger's database: the embedded cluster's port and password change per start and live in the data
/// directory, so this is the easy way in for a developer or an auditor.
/// </summary>
[Description("Open psql on the ledger database (the embedded cluster unless ConnectionStrings__Funding is set)", Name = "db-shell")]
public sealed class DbShellCommand : JasperFxAsyncCommand<DbShellInput>
{
    public override async Task<bool> Execute(DbShellInput input)
    {
        using var host = input.BuildHost();
        var database = host.Services.GetRequiredService<FundingDatabase>();
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);

        var info = new ProcessStartInfo(PsqlPath()) { UseShellExecute = false };
        foreach (var argument in new[] { "-h", connection.Host!, "-p", connection.Port.ToString(), "-U", connection.Username!, "-d", connection.Database! })
        {
            info.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(input.CommandFlag))
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(input.CommandFlag);
        }

        if (connection.Password is { } password) info.Environment["PGPASSWORD"] = password;
        info.Environment["PGOPTIONS"] = "--search_path=funding,public";

        using var psql = Process.Start(info)!;
        await psql.WaitForExitAsync();
        return psql.ExitCode == 0;
    }

    static string PsqlPath()
    {
        try
        {
            var beside = Path.Combine(PostgresBinaries.Locate().Directory, "psql");
            return File.Exists(beside) ? beside : "psql";
        }
        catch (EmbeddedPostgresException)
        {
            return "psql"; // an external server: the client on PATH will do
        }
    }
}

public sealed class DbShellInput : NetCoreInput
{
    [Description("Run this SQL and exit instead of opening an interactive session")]
    [FlagAlias("command", 'c')]
    public string? CommandFlag { get; set; }
}
