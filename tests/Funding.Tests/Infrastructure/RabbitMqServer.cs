using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace Funding.Tests.Infrastructure;

/// <summary>
/// A private RabbitMQ broker from the machine's Debian package (rabbitmq-server), as the suite runs PostgreSQL: on
/// loopback, on free ports, with its own node name, Erlang port mapper and data under the run's directory; stopped and
/// started again on the same data when a test asks; shut down when disposed. The benchmark (ops/bench) runs one too.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    const string Bin = "/usr/lib/rabbitmq/bin";
    readonly string directory;
    readonly Dictionary<string, string> environment;

    RabbitMqServer(string directory, int port, Dictionary<string, string> environment)
    {
        this.directory = directory;
        Port = port;
        this.environment = environment;
    }

    public int Port { get; }

    /// <summary>The address the service is given (<c>Funding__Messaging__RabbitMq</c>).</summary>
    public string Uri => $"amqp://test:test@127.0.0.1:{Port}/";

    string PidFile => Path.Combine(directory, "rabbit.pid");
    string Node => environment["RABBITMQ_NODENAME"];

    /// <param name="directory">An empty directory of its own: its data, logs, configuration and Erlang cookie.</param>
    public static async Task<RabbitMqServer> StartAsync(string directory)
    {
        if (!File.Exists(Path.Combine(Bin, "rabbitmq-server")))
            throw new InvalidOperationException("RabbitMQ is not installed: apt-get install rabbitmq-server (.ci/run does).");
        var (port, distribution, mapper) = (FreePort(), FreePort(), FreePort());
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{port}
            default_user = test
            default_pass = test
            default_vhost = /
            log.console = false
            log.file.level = warning
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = directory, // the Erlang cookie
            ["RABBITMQ_NODENAME"] = $"funding-test-{Guid.NewGuid():N}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(),
            ["RABBITMQ_DIST_PORT"] = distribution.ToString(),
            ["ERL_EPMD_PORT"] = mapper.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            // Loopback only; and no busy-waiting schedulers, which would take the cores the service and PostgreSQL share with it.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbit.pid"),
        };
        var server = new RabbitMqServer(directory, port, environment);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the broker (again) on its data and ports, and waits until it takes connections.</summary>
    public async Task StartAgainAsync()
    {
        File.Delete(PidFile); // a stale one (after a kill) would answer the wait at once
        // The server script runs as root here: Debian's /usr/sbin wrapper would switch to the rabbitmq user.
        var start = Info("setsid", "sh", "-c", $"exec {Bin}/rabbitmq-server >>'{directory}/server.out' 2>&1 </dev/null");
        using (Process.Start(start))
        {
        }

        var (code, output) = await RunAsync(Info($"{Bin}/rabbitmqctl", "-q", "-n", Node, "wait", "--timeout", "90", PidFile), TimeSpan.FromSeconds(120));
        if (code != 0)
        {
            var log = File.Exists(Path.Combine(directory, "server.out")) ? await File.ReadAllTextAsync(Path.Combine(directory, "server.out")) : "";
            throw new InvalidOperationException($"RabbitMQ did not start ({code}): {output}{Environment.NewLine}{log}");
        }
    }

    /// <summary>An orderly stop of the broker; its data stay for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        await RunAsync(Info($"{Bin}/rabbitmqctl", "-q", "-n", Node, "shutdown"), TimeSpan.FromSeconds(60));
        if (ServerPid() is { } pid)
        {
            // Whatever the shutdown left running; no error if it is gone.
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-9", pid.ToString()]) { RedirectStandardError = true });
            await kill!.WaitForExitAsync();
        }

        File.Delete(PidFile);
    }

    int? ServerPid() => File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) ? pid : null;

    /// <summary>
    /// A durable queue of its own, bound to the exchange with the pattern: it keeps what the exchange routes to it while
    /// no one reads, and across a restart of the broker. Returns its name.
    /// </summary>
    public async Task<string> BindQueueAsync(string exchange, string pattern = "#")
    {
        var queue = $"test-{Guid.NewGuid():N}";
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclarePassiveAsync(exchange);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, exchange, pattern);
        return queue;
    }

    public Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = new System.Uri(Uri) }.CreateConnectionAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // The node's own port mapper outlives it; it refuses to stop while the node is still registered.
        for (var i = 0; i < 50; i++)
        {
            var (code, _) = await RunAsync(Info("epmd", "-port", environment["ERL_EPMD_PORT"], "-kill"), TimeSpan.FromSeconds(10));
            if (code == 0) break;
            await Task.Delay(100);
        }
    }

    ProcessStartInfo Info(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return info;
    }

    static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo info, TimeSpan limit)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

