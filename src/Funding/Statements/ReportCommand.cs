using System.Text.Json;
using Funding.Audit;
using Funding.Audit.Replay;
using Funding.Hosting;
using JasperFx.CommandLine;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Funding.Statements;

public enum StatementKind
{
    Fund,
    TrialBalance,
    Package,
    Packages,
    Donors,
    Ageing,
}

public sealed class ReportInput : NetCoreInput
{
    [Description("fund, trial-balance, package, packages, donors or ageing")]
    public string Statement { get; set; } = "";

    [Description("The fund (fund, trialbalance; optional for ageing) or package (package) id")]
    [FlagAlias("id")]
    public string? IdFlag { get; set; }

    [Description("donors, ageing: only this donor")]
    [FlagAlias("donor")]
    public string? DonorFlag { get; set; }

    [Description("As at this business date (yyyy-MM-dd)")]
    [FlagAlias("as-at")]
    public string? AsAtFlag { get; set; }

    [Description("As known on this day (yyyy-MM-dd, UTC): only what had been recorded by its end")]
    [FlagAlias("known-on")]
    public string? KnownOnFlag { get; set; }
}

/// <summary>The statements on the command line, as the HTTP API gives them (JSON), e.g. for an auditor's script.</summary>
[Description("Print a statement, optionally as at a date and as known on a day", Name = "report")]
public sealed class ReportCommand : JasperFxAsyncCommand<ReportInput>
{
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb(indented: true);

    public override async Task<bool> Execute(ReportInput input)
    {
        if (!Enum.TryParse<StatementKind>(input.Statement.Replace("-", ""), ignoreCase: true, out var statement) || int.TryParse(input.Statement, out _))
        {
            await Console.Error.WriteLineAsync($"'{input.Statement}' is not a statement: use fund, trial-balance, package, packages, donors or ageing.");
            return false;
        }

        if (!AuditCommand.TryDate("--as-at", input.AsAtFlag, out var asAt) || !AuditCommand.TryDate("--known-on", input.KnownOnFlag, out var knownOn)) return false;
        Guid id = default;
        var idRequired = statement is StatementKind.Fund or StatementKind.TrialBalance or StatementKind.Package;
        if ((idRequired || input.IdFlag is not null) && !Guid.TryParse(input.IdFlag, out id))
        {
            await Console.Error.WriteLineAsync($"--id: give the {(statement == StatementKind.Package ? "package" : "fund")} id (a GUID).");
            return false;
        }

        using var host = input.BuildHost();
        var cut = new ReportCut(asAt, knownOn);
        var day = asAt ?? host.Services.GetRequiredService<IClock>().GetCurrentInstant().InUtc().Date;
        var rules = host.Services.GetRequiredService<IOptions<FlagOptions>>().Value;
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        object? report = statement switch
        {
            StatementKind.Fund => await Statements.FundStatementAsync(session, id, cut, CancellationToken.None),
            StatementKind.TrialBalance => await Statements.TrialBalanceAsync(session, id, cut, CancellationToken.None),
            StatementKind.Package => await Statements.PackageStatusAsync(session, id, cut, day, rules, CancellationToken.None),
            StatementKind.Packages => await Statements.PackageStatusesAsync(session, new PackageFilter(), cut, day, rules, CancellationToken.None),
            StatementKind.Donors => await Statements.DonorStatementAsync(session, input.DonorFlag, cut, CancellationToken.None),
            _ => await Statements.ReceivablesAgeingAsync(session, input.IdFlag is null ? null : id, input.DonorFlag, cut, day, CancellationToken.None),
        };
        if (report is null)
        {
            await Console.Error.WriteLineAsync($"No such {input.Statement} {input.IdFlag} at that date.");
            return false;
        }

        Console.WriteLine(JsonSerializer.Serialize(report, report.GetType(), Json));
        return true;
    }
}
