using Funding.Hosting.EmbeddedPostgres;
using Funding.Tests.Infrastructure;

namespace Funding.Tests.Hosting;

public class PostgresBinariesTests
{
    readonly string root = TestCluster.NewScratchDirectory("binaries");

    string FakeBinDirectory(string relative)
    {
        var dir = Path.Combine(root, relative);
        Directory.CreateDirectory(dir);
        foreach (var name in new[] { "initdb", "pg_ctl", "postgres" }) File.WriteAllText(Path.Combine(dir, name), "");
        return dir;
    }

    static Func<string, string?> Environment(string? pgBin) => name => name == PostgresBinaries.EnvironmentVariable ? pgBin : null;

    [Fact]
    public void funding_pg_bin_comes_first()
    {
        var configured = FakeBinDirectory("custom/bin");
        var fromPgConfig = FakeBinDirectory("pgconfig/bin");
        FakeBinDirectory("lib/16/bin");

        PostgresBinaries.Locate(Environment(configured), () => fromPgConfig, Path.Combine(root, "lib"))
            .ShouldBe(new PostgresBinaries(configured));
    }

    [Fact]
    public void a_funding_pg_bin_without_the_server_binaries_is_an_error_not_a_fallback()
    {
        var empty = Path.Combine(root, "empty");
        Directory.CreateDirectory(empty);
        FakeBinDirectory("lib/15/bin");

        var error = Should.Throw<EmbeddedPostgresException>(() =>
            PostgresBinaries.Locate(Environment(empty), () => null, Path.Combine(root, "lib")));
        error.Message.ShouldBe($"FUNDING_PG_BIN={empty} does not contain initdb, pg_ctl, postgres. " +
                               "Point it at the directory of the PostgreSQL server binaries, or unset it.");
    }

    [Fact]
    public void pg_config_bindir_comes_next()
    {
        var fromPgConfig = FakeBinDirectory("pgconfig/bin");
        FakeBinDirectory("lib/16/bin");

        PostgresBinaries.Locate(Environment(null), () => fromPgConfig, Path.Combine(root, "lib"))
            .ShouldBe(new PostgresBinaries(fromPgConfig));
    }

    [Fact]
    public void otherwise_the_highest_installed_version_wins_by_number_not_by_name()
    {
        FakeBinDirectory("lib/9.6/bin");
        FakeBinDirectory("lib/15/bin");
        var sixteen = FakeBinDirectory("lib/16/bin");
        Directory.CreateDirectory(Path.Combine(root, "lib/17/bin")); // a version directory without server binaries

        PostgresBinaries.Locate(Environment(null), () => "/nonexistent", Path.Combine(root, "lib"))
            .ShouldBe(new PostgresBinaries(sixteen));
    }

    [Fact]
    public void nothing_installed_says_what_to_install()
    {
        var error = Should.Throw<EmbeddedPostgresException>(() =>
            PostgresBinaries.Locate(Environment(null), () => null, Path.Combine(root, "nothing-here")));

        error.Message.ShouldBe(PostgresBinaries.NotInstalledMessage);
        error.Message.ShouldContain("apt-get install postgresql");
    }
}
