using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Funding.Tests.Infrastructure;

/// <summary>The built service run as a real process, the way a user starts it, with its own data directory.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    ServiceProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    // A first request compiles its handler at run time (Wolverine), which on a loaded CI machine can take a while.
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    /// <summary>Runs the service (no arguments: the default verb serves HTTP) on a free loopback port.</summary>
    public static ServiceProcess Start(string dataDirectory, params (string Name, string Value)[] environment)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = StartInfo([], dataDirectory, environment);
        info.Environment["Urls"] = baseAddress.ToString(); // overrides appsettings.json, as a user would
        return new ServiceProcess(Process.Start(info)!, baseAddress);
    }

    /// <summary>Runs a command-line verb to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunVerb(string[] arguments, string dataDirectory,
        params (string Name, string Value)[] environment)
    {
        var info = StartInfo(arguments, dataDirectory, environment);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    static ProcessStartInfo StartInfo(string[] arguments, string dataDirectory, (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServiceDirectory,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Path.Combine(ServiceDirectory, "Funding.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        info.Environment.Remove("ConnectionStrings__Funding");
        info.Environment["Funding__Postgres__DataDirectory"] = dataDirectory;
        // Tests start from an empty ledger unless they ask for the demo data.
        info.Environment["Funding__Demo__SeedWhenEmpty"] = "false";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return info;
    }

    /// <summary>
    /// The service's own build output (built with the tests, same configuration): the test directory also holds the
    /// test libraries, which the service must not see.
    /// </summary>
    static string ServiceDirectory
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            return Path.Combine(Repository.Root, "src", "Funding", "bin", configuration, framework.Name);
        }
    }

    /// <summary>
    /// POSTs a body and returns the answer's text, failing with the status and body unless it succeeded. With a
    /// user, the request carries that user's token (every role) instead of the client's: four eyes need two people.
    /// </summary>
    public async Task<string> Post(string path, object body, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, path)) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        if (user is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestAuth.Token(user, Funding.Access.Roles.All.ToArray()));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{path}: {(int)response.StatusCode} {text}");
        return text;
    }

    /// <summary>The embedded cluster a service started in a data directory: its port and generated password.</summary>
    public static string EmbeddedConnectionString(string dataDirectory)
    {
        var port = int.Parse(File.ReadAllLines(Path.Combine(dataDirectory, "postgres", "postmaster.pid"))[3]);
        var password = File.ReadAllText(Path.Combine(dataDirectory, "postgres.password")).Trim();
        return new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Password = password, Database = "funding",
        }.ConnectionString;
    }

    /// <summary>Polls GET /health until it answers 200; returns how long that took.</summary>
    public async Task<TimeSpan> WaitUntilHealthy(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "/health"));
                if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"/health did not answer 200 within {limit}:{Environment.NewLine}{Output}");
    }

    /// <summary>kill -9: no shutdown code runs, so the PostgreSQL server it started is left behind.</summary>
    public async Task KillHard()
    {
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd or Ctrl+C would stop it; returns the exit code.</summary>
    public async Task<int> Terminate()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            await Terminate();
        }

        process.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
