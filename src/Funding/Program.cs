using System.Text.Json.Serialization;
using Funding.Access;
using Funding.Demo;
using Funding.Hosting;
using Funding.Hosting.EmbeddedPostgres;
using Funding.Hosting.Health;
using Funding.Hosting.Input;
using Funding.Hosting.Writing;
using Funding.Hosting.OpenApi;
using Funding.Hosting.Replica;
using Funding.Hosting.Telemetry;
using Funding.Integration;
using Funding.Statements;
using Funding.Transparency;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Scalar.AspNetCore;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

// The pages' stylesheet and script are copied beside the binaries at build, so they are found wherever it starts from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });

// seed-demo serves HTTP to itself for a moment: on a free loopback port, without the seeding-when-empty racing it.
if (args is ["seed-demo", ..])
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Configuration["Funding:Demo:SeedWhenEmpty"] = "false";
}

// Integration messages to RabbitMQ only when a broker is configured; a setting it cannot use stops the start.
MessagingOptions messaging;
try
{
    messaging = IntegrationMessaging.Read(builder.Configuration);
}
catch (MessagingConfigurationException e)
{
    Console.Error.WriteLine($"Funding cannot start: {e.Message}");
    return 2;
}

builder.Services.AddSingleton(messaging);
builder.Services.AddSingleton(services => FundingDatabase.Open(
    services.GetRequiredService<IConfiguration>(),
    services.GetRequiredService<ILoggerFactory>().CreateLogger("Funding.EmbeddedPostgres")));

builder.Services.AddMarten(services =>
    {
        var database = services.GetRequiredService<FundingDatabase>();
        // Production schema changes come from db-apply or migrations/, never from the running service.
        var options = LedgerStore.Options(database.ConnectionString, LedgerStore.Schema, services.GetRequiredService<TimeProvider>(),
            database.AppliesSchemaChanges ? AutoCreate.CreateOrUpdate : AutoCreate.None, ProjectionLifecycle.Inline, hashChained: true);
        // Every save publishes what it records, in its own transaction (LedgerMessages).
        if (messaging.Enabled) options.Listeners.Add(new LedgerMessages());
        return options;
    })
    // Identity sessions: what a write loads under its locks is what its inline projections fold (see LedgerStore).
    .UseIdentitySessions()
    // Wolverine runs the asynchronous projections: on one node now, spread over the nodes (and moved off a
    // failed one) when there are several. Marten's own HotCold election needs a DistributedLock.Core that the
    // registry does not serve (see ops/redirects/README.md).
    .IntegrateWithWolverine(integration => integration.UseWolverineManagedEventSubscriptionDistribution = true);

// Statements are prepared (LedgerStore.Tuned), so the store's log retires its connections when PostgreSQL refuses a value:
// wrapped around Marten's own log, which it sets when it builds the store.
var martenStore = builder.Services.Last(x => x.ServiceType == typeof(IDocumentStore));
builder.Services.Replace(ServiceDescriptor.Singleton<IDocumentStore>(services =>
{
    var store = (DocumentStore)martenStore.ImplementationFactory!(services);
    LedgerLog.Attach(store.Options);
    return store;
}));

// Reads on a streaming standby when ConnectionStrings:FundingReadOnly is set (see ReadReplica); writes stay on the primary.
builder.Services.Configure<ReplicaOptions>(builder.Configuration.GetSection(ReplicaOptions.Section));
builder.Services.AddSingleton<ReadReplica>();
var readsOnStandby = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ReplicaOptions.ConnectionStringName));
if (readsOnStandby)
{
    builder.Services.AddHttpContextAccessor();
    builder.Services.AddHostedService<ReplicaMonitor>();
    // The pages' (and every other) query session: the standby's when it may serve the request.
    builder.Services.AddScoped<IQuerySession>(services =>
        services.GetRequiredService<ReadReplica>().QuerySession(services.GetRequiredService<IHttpContextAccessor>().HttpContext));
}

// First of all hosted services: Wolverine and the projection daemon need their tables when they start.
builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ApplySchemaOnStartup>());

builder.Host.UseWolverine(opts =>
{
    opts.UseRuntimeCompilation();
    opts.AutoBuildMessageStorageOnStartup = AutoCreate.None; // ApplySchemaOnStartup decides
    // Messages in the API's JSON shape (camelCase), integration messages to other systems included; read either case.
    opts.UseSystemTextJsonForSerialization(o =>
    {
        o.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        o.PropertyNameCaseInsensitive = true;
        JsonForFunding.Configure(o);
    });
    opts.Policies.AutoApplyTransactions();
    opts.Policies.UseDurableLocalQueues();
    opts.Policies.UseDurableInboxOnAllListeners();
    opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
    // An aggregate that is not there is a 404 that says so, not an empty answer.
    opts.EntityDefaults.OnMissing = Wolverine.Persistence.OnMissing.ProblemDetailsWith404;
    // With several nodes, one that has stopped answering its health check for about 10 s is taken for gone, and the
    // projections it ran move to the others: they catch up within half a minute of a crash.
    opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(3);
    opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(10);
    opts.Durability.StaleNodeEjectionThreshold = 2;
    opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(5);
    if (messaging.Enabled) IntegrationMessaging.Configure(opts, messaging);
});
if (messaging.Enabled) builder.Services.AddHostedService<FlagReviewsOnStart>();

builder.Services.AddWolverineHttp();
builder.Services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o =>
{
    JsonForFunding.Configure(o.SerializerOptions);
    // Requests may only set what a command declares: nobody sets "status" or "approvedBy" through a body.
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.MaxDepth = 16;
    o.SerializerOptions.AllowDuplicateProperties = false;
    o.SerializerOptions.Converters.Insert(0, new BusinessDateConverter());
    // Every string of a body passes the ledger's text rules as it is read (no NUL or control characters, a length limit).
    o.SerializerOptions.Converters.Insert(0, new SingleLineTextConverter());
});
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ClientErrors.Customize);
builder.AddRateLimits();
builder.Services.AddOptions<WriteGateOptions>().Bind(builder.Configuration.GetSection(WriteGateOptions.Section))
    .Validate(x => x is { Concurrency: >= 1, QueueLimit: >= 0 }, "Funding:Writes:MaxConcurrent must be at least 1 and Funding:Writes:QueueLimit at least 0.")
    .ValidateOnStart();
builder.Services.AddSingleton<WriteGate>();
builder.Services.AddOpenApi(ApiDocument.Configure);
LedgerTelemetry.Add(builder);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IClock>(services => new TimeProviderClock(services.GetRequiredService<TimeProvider>()));
builder.Services.Configure<FlagOptions>(builder.Configuration.GetSection("Funding:Flags"));
builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection("Funding:Demo"));
builder.Services.Configure<IatiOptions>(builder.Configuration.GetSection("Funding:Iati"));
builder.Services.AddHostedService<SeedDemoWhenEmpty>();
// Today's package list read off an index (PackageStatusPage): its ranking moves to each new day.
builder.Services.AddHostedService<RankingThePackageList>();
builder.Services.AddExceptionHandler<ConflictExceptionHandler>();
builder.Services.AddHealthChecks().AddCheck<LedgerHealthCheck>("ledger");

builder.AddSignIn();
// Roles, funds and countries under the provider's claim names and from its groups, in the service's own claims.
builder.Services.AddSingleton<Microsoft.AspNetCore.Authentication.IClaimsTransformation, ScopeClaims>();
// The pages bring MVC along; whatever reads or writes JSON through it uses the service's one JSON shape too.
builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => JsonForFunding.Configure(o.JsonSerializerOptions));
builder.Services.AddRazorPages(options =>
{
    options.Conventions.AllowAnonymousToPage("/SignIn");
    options.Conventions.AllowAnonymousToPage("/Status");
});
// Everything needs a signed-in user unless it says otherwise; writes also name their roles.
builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

var app = builder.Build();

// Listing the verbs and issuing demo tokens need no database.
if (NeedsNoDatabase(args)) return await app.RunJasperFxCommands(args);

// Start (or reach) the database before anything else touches it, so a missing PostgreSQL is a message, not a stack trace.
try
{
    app.Services.GetRequiredService<FundingDatabase>();
    // Serving HTTP needs the token signing key; schema and projection verbs do not.
    if (ServesHttp(args)) app.Services.GetRequiredService<SigningKey>();
}
catch (Exception e) when (e is EmbeddedPostgresException or AccessConfigurationException)
{
    Console.Error.WriteLine($"Funding cannot start: {e.Message}");
    return 2;
}

app.UseMiddleware<SecurityHeaders>();
app.UseExceptionHandler();
app.UseMiddleware<CorrelationScope>();
app.UseMiddleware<ClientErrors.Log>();
// Pages explain an error status in words; the API answers with ProblemDetails.
app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
// ...and every API refusal without a body of its own (401, 403, 405, 415 from routing) gets a ProblemDetails too.
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseStaticFiles();
// After the status pages, so that re-executing "/status/403" finds its page.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<ReadScope.Guard>();
if (readsOnStandby) app.UseMiddleware<StandbyFallback>();
// After authorization: a person is limited by who they are, and a request refused already costs nothing.
app.UseRateLimiter();
app.UseMiddleware<InputGuard>();
// Last before the endpoint: a request refused for any other reason never waits for a turn.
app.UseMiddleware<WriteGate>();
app.MapWolverineEndpoints(opts =>
{
    // A query value that does not parse is a 400, never a silent default.
    opts.RejectUnparseableQueryValues = true;
    opts.AddPolicy<ApiResponses>();
    // Every command endpoint writes through the one pipeline.
    opts.AddPolicy<WritePipelinePolicy>();
    opts.AddResourceWriterPolicy<WritePipelinePolicy>();
    opts.AddParameterHandlingStrategy<RatesParameter>();
    if (readsOnStandby) opts.AddParameterHandlingStrategy<ReadSessionParameter>();
    opts.AddMiddleware(typeof(ActorStamp));
});
app.MapRazorPages();
// The API's description is public: it holds no data.
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference(options => options.WithTitle("Funding API")).AllowAnonymous();
app.MapHealthChecks(LedgerHealthCheck.Path, new HealthCheckOptions { ResponseWriter = LedgerHealthCheck.WriteReport }).AllowAnonymous();

return await app.RunJasperFxCommands(args);

static bool ServesHttp(string[] args) => args is [] or ["run", ..] || args[0].StartsWith('-');

static bool NeedsNoDatabase(string[] args) => args is [var verb, ..] && verb is "help" or "?" or "-h" or "--help" or "token";

/// <summary>The service's entry point; public so that tests can host it.</summary>
public partial class Program;
