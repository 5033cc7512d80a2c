using System.Diagnostics;
using System.Text.RegularExpressions;
using Funding.Tests.Infrastructure;

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

        await using var service = ServiceProcess.Start(TestCluster.NewScratchDirectory("readme"));
        await service.WaitUntilHealthy(TimeSpan.FromSeconds(60));

        var bash = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["API"] = service.BaseAddress.ToString().TrimEnd('/') },
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
                 })
        {
            output.ShouldContain(figure);
        }
    }
}
