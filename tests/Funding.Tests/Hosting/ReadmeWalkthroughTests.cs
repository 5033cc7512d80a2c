using System.Diagnostics;
using System.Text.RegularExpressions;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Funding.Tests.Hosting;

/// <summary>The README's curl walkthrough, run as written against the real service.</summary>
public partial class ReadmeWalkthroughTests
{
    [GeneratedRegex(@"<!-- walkthrough -->\s*```sh\n(?<script>.*?)```\s*<!-- /walkthrough -->", RegexOptions.Singleline)]
    private static partial Regex WalkthroughBlock();

    [Fact]
    public async Task the_readme_walkthrough_runs_and_shows_scenario_a()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        var script = WalkthroughBlock().Match(readme).Groups["script"].Value;
        script.ShouldContain("curl");

        var dataDirectory = TestCluster.NewScratchDirectory("readme");
        await using var service = ServiceProcess.Start(dataDirectory);
        await service.WaitUntilHealthy(TimeSpan.FromSeconds(60));

        // The tokens the block would get from the token verb, signed with the same development key.
        var key = Funding.Access.SigningKey.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Funding:Postgres:DataDirectory"] = dataDirectory }).Build());
        string Token(string user, string role) => Funding.Access.TokenCommand.Issue(key, user, [role], TimeSpan.FromHours(1));

        var bash = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["API"] = service.BaseAddress.ToString().TrimEnd('/'),
                ["ADMIN"] = Token("ada", "Administrator"),
                ["FINANCE"] = Token("fin", "FinanceOfficer"),
                ["EAD"] = Token("ead", "FocalPoint"),
                ["FOCAL"] = Token("usg", "FocalPoint"),
                ["AUDITOR"] = Token("aud", "Auditor"),
            },
        };
        using var run = Process.Start(bash)!;
        var output = await run.StandardOutput.ReadToEndAsync();
        var errors = await run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();

        run.ExitCode.ShouldBe(0, $"{errors}{Environment.NewLine}{output}{Environment.NewLine}{service.Output}");
        foreach (var figure in new[]
                 {
                     "\"totalSources\":3220556.15", "\"totalUses\":2172085.56", "\"balanceWithAdministrativeAgent\":1048470.59",
                     "\"deliveryRatePercent\":60.0", "\"totalBalance\":1904470.59", "\"status\":\"PartiallyFunded\"", "\"coveragePercent\":85.6",
                     "\"balanced\":true",
                     // The totals after the budget revision.
                     "\"open\":{\"packages\":1,\"phases\":1,\"requirement\":2700000,\"funded\":2140000,\"gap\":560000}",
                 })
        {
            output.ShouldContain(figure);
        }
    }
}
