using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Funding.Access;
using Microsoft.Extensions.Configuration;

namespace Funding.Benchmarks;

/// <summary>The service's Release build run as its own process, on a database of the benchmark's cluster.</summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Running = new();
    static readonly string SigningKeyBase64 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    readonly Process process;
    readonly StringBuilder output = new();

    ServiceUnderTest(Process process, Uri baseAddress)
    {
        this.process = process;
        Running[process.Id] = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <param name="settings">More environment, e.g. ConnectionStrings__FundingReadOnly.</param>
    public static async Task<ServiceUnderTest> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var serviceDirectory = Path.Combine(Repository.Root, "src", "Funding", "bin", "Release", "net10.0");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = serviceDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(serviceDirectory, "Funding.dll"));
        info.Environment["ConnectionStrings__Funding"] = connectionString;
        info.Environment["Funding__Database__ApplySchemaChanges"] = "true";
        info.Environment["Funding__Auth__SigningKey"] = SigningKeyBase64;
        info.Environment["Funding__Demo__SeedWhenEmpty"] = "false";
        // The load is a few users sending hundreds of writes a second: measured without the per-person limits.
        info.Environment["Funding__RateLimits__Enabled"] = "false";
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        // Production-like: the console logger's per-request lines would measure the terminal.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var service = new ServiceUnderTest(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
        await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(180));
        return service;
    }

    /// <summary>A client with a token carrying every role; enough connections for the benchmark's clients.</summary>
    public HttpClient Client()
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("bench", Roles.All));
        return client;
    }

    public static string Token(string user, IEnumerable<string> roles)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Funding:Auth:SigningKey"] = SigningKeyBase64 }).Build();
        return TokenCommand.Issue(SigningKey.From(configuration), user, roles, TimeSpan.FromHours(2));
    }

    /// <summary>The process's peak resident set so far (VmHWM), in MB.</summary>
    public double PeakWorkingSetMb => Memory.PeakMb(process.Id);

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        await EnsureSuccessAsync(response, $"POST {path}");
    }

    async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (process.HasExited) throw new InvalidOperationException($"The service exited with {process.ExitCode}:\n{Output}");
            try
            {
                // Healthy, and done with its start-up work: the package list ranked for today (a read of it measured
                // before then would be sorted on every request, and the ranking's writes would share the machine with it).
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK
                    && System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())?["packageList"]?["current"]?.GetValue<bool>() == true)
                    return;
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

        throw new TimeoutException($"/health did not answer 200 with the package list ranked for today within {limit}:\n{Output}");
    }

    string Output
    {
        get { lock (output) return output.ToString(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()])) await term.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }

        Running.TryRemove(process.Id, out _);
        process.Dispose();
    }

    /// <summary>For an interrupted run: the services it started go with it.</summary>
    public static void KillAll()
    {
        foreach (var running in Running.Values)
        {
            try
            {
                running.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
