using System.Diagnostics;
using Funding.Hosting.EmbeddedPostgres;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Funding.Tests.Hosting;

/// <summary>The embedded cluster's life cycle, on clusters of their own (not the run's shared one).</summary>
public class PostgresClusterTests
{
    static EmbeddedPostgresSettings SettingsFor(string directory) => new() { DataDirectory = directory, Durable = false };

    static async Task<object?> Scalar(PostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    static int PostmasterPid(PostgresCluster cluster) =>
        int.Parse(File.ReadLines(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")).First());

    [Fact]
    public async Task data_survives_a_stop_and_a_new_start()
    {
        var directory = TestCluster.NewScratchDirectory("restart");
        using (var first = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance))
        {
            await Scalar(first, "create table kept (value text); insert into kept values ('still here')");
        }

        using var second = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance);
        (await Scalar(second, "select value from kept")).ShouldBe("still here");
    }

    [Fact]
    public async Task a_server_left_running_by_a_killed_run_is_stopped_and_replaced()
    {
        var directory = TestCluster.NewScratchDirectory("leftover");
        var abandoned = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance); // never stopped, like after kill -9
        var leftoverPid = PostmasterPid(abandoned);

        using var next = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance);

        Processes.IsRunning(leftoverPid).ShouldBeFalse();
        PostmasterPid(next).ShouldNotBe(leftoverPid);
        (await Scalar(next, "select 1")).ShouldBe(1);
    }

    [Fact]
    public async Task a_stale_pid_file_naming_another_process_is_removed()
    {
        var directory = TestCluster.NewScratchDirectory("stalepid");
        PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance).Stop();

        // The pid was reused by a process that is not PostgreSQL: here, the test process itself.
        var pidFile = Path.Combine(directory, "postgres", "postmaster.pid");
        await File.WriteAllTextAsync(pidFile, $"{Environment.ProcessId}\n{Path.Combine(directory, "postgres")}\n");

        using var cluster = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance);
        (await Scalar(cluster, "select 1")).ShouldBe(1);
    }

    [Fact]
    public void stopping_removes_the_pid_file_and_the_server()
    {
        var directory = TestCluster.NewScratchDirectory("stop");
        var cluster = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance);
        var pid = PostmasterPid(cluster);

        cluster.Dispose();

        File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")).ShouldBeFalse();
        Processes.IsRunning(pid).ShouldBeFalse();
    }

    [Fact]
    public void as_root_the_server_runs_as_an_unprivileged_user_who_owns_the_data()
    {
        var directory = TestCluster.NewScratchDirectory("owner");
        using var cluster = PostgresCluster.Start(SettingsFor(directory), NullLogger.Instance);

        var expectedOwner = Environment.UserName == "root" ? "postgres" : Environment.UserName;
        Owner(cluster.ClusterDirectory).ShouldBe(expectedOwner);
        Owner($"/proc/{PostmasterPid(cluster)}").ShouldBe(expectedOwner);
    }

    static string Owner(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }
}
