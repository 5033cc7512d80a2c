using Microsoft.AspNetCore.Mvc;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Funds;
using Funding.Packages;
using Funding.Statements;
using JasperFx.CommandLine;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Wolverine.Http;

namespace Funding.Transparency;

/// <summary>Reads what an IATI export is made from.</summary>
public static class IatiSource
{
    /// <summary>The whole ledger: every fund, package and event.</summary>
    public static async Task<IatiLedger> EverythingAsync(IQuerySession session, CancellationToken cancellation)
    {
        var funds = await session.Query<Fund>().ToListAsync(cancellation);
        var packages = await session.Query<Package>().ToListAsync(cancellation);
        var events = await session.Events.QueryAllRawEvents().OrderBy(x => x.Sequence).ToListAsync(cancellation);
        return new IatiLedger(funds.ToList(), packages.ToList(), events.Select(LoggedEvent.From).ToList());
    }

    /// <summary>
    /// What one package's activity needs: its stream, the streams of the funds that pay for it (their allocations,
    /// transfers and expenditure) and those funds' contributions (who funds it).
    /// </summary>
    public static async Task<(Package? Package, IatiLedger Ledger)> ForPackageAsync(IQuerySession session, Guid packageId, CancellationToken cancellation)
    {
        var package = await session.LoadAsync<Package>(packageId, cancellation);
        if (package is null) return (null, new IatiLedger([], [], []));

        var status = await session.LoadAsync<PackageFundingStatus>(package.Id, cancellation);
        var fundIds = status?.Sources.Select(x => x.FundId).Distinct().ToArray() ?? [];
        var funds = await session.LoadManyAsync<Fund>(cancellation, fundIds);
        var contributions = await session.Query<Contribution>().Where(x => x.FundId.IsOneOf(fundIds) || x.EarmarkedPackageId == package.Id)
            .Select(x => x.Id).ToListAsync(cancellation);
        Guid[] streams = [package.Id, .. fundIds, .. contributions];
        var events = await session.Events.QueryAllRawEvents().Where(x => x.StreamId.IsOneOf(streams)).OrderBy(x => x.Sequence).ToListAsync(cancellation);
        return (package, new IatiLedger(funds.ToList(), [package], events.Select(LoggedEvent.From).ToList()));
    }

    /// <summary>UTF-8 XML with its declaration, indented for people who open it.</summary>
    public static byte[] Serialise(XDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = false }))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }
}

/// <summary>The IATI 2.03 activity files over HTTP.</summary>
public static class IatiEndpoints
{
    [WolverineGet("/api/iati/activities.xml")]
    [Access.SpansEveryFund(everyCountry: true)]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "application/xml")]
    [Tags("Transparency")]
    [EndpointSummary("IATI 2.03 activities of the whole reporting organisation: every fund and package")]
    public static async Task<IResult> Organisation(IQuerySession session, IClock clock, IOptions<IatiOptions> options, CancellationToken cancellation)
    {
        var now = clock.GetCurrentInstant();
        var ledger = await IatiSource.EverythingAsync(session, cancellation);
        var document = IatiActivities.Organisation(ledger, options.Value, now.InUtc().Date, now);
        return Results.File(IatiSource.Serialise(document), "application/xml", "iati-activities.xml");
    }

    [WolverineGet("/api/packages/{packageId}/iati.xml")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "application/xml")]
    [Tags("Transparency")]
    [EndpointSummary("One package as an IATI 2.03 activity")]
    public static async Task<IResult> Package(Guid packageId, IQuerySession session, IClock clock, IOptions<IatiOptions> options, CancellationToken cancellation)
    {
        var now = clock.GetCurrentInstant();
        var (package, ledger) = await IatiSource.ForPackageAsync(session, packageId, cancellation);
        if (package is null) return Problems.NotFound("packageId", "package");
        var document = IatiActivities.ForPackage(package, ledger, options.Value, now.InUtc().Date, now);
        return Results.File(IatiSource.Serialise(document), "application/xml", $"iati-activity-{package.Code}.xml");
    }
}

public sealed class IatiInput : NetCoreInput
{
    [Description("Only this package (its code), as one activity")]
    [FlagAlias("package")]
    public string? PackageFlag { get; set; }

    [Description("Write to this file (default: iati-activities.xml, or iati-activity-CODE.xml for one package)")]
    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }
}

/// <summary>`iati`: the same files as the HTTP export, for publishing to the IATI Registry from a script.</summary>
[Description("Write the IATI 2.03 activities file of the whole organisation, or of one package", Name = "iati")]
public sealed class IatiCommand : JasperFxAsyncCommand<IatiInput>
{
    public override async Task<bool> Execute(IatiInput input)
    {
        using var host = input.BuildHost();
        var now = host.Services.GetRequiredService<IClock>().GetCurrentInstant();
        var options = host.Services.GetRequiredService<IOptions<IatiOptions>>().Value;
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();

        XDocument document;
        if (input.PackageFlag is { } code)
        {
            var (package, ledger) = await IatiSource.ForPackageAsync(session, PackageIds.For(code.Trim()), CancellationToken.None);
            if (package is null)
            {
                await Console.Error.WriteLineAsync($"--package: there is no package with the code '{code}'.");
                return false;
            }

            document = IatiActivities.ForPackage(package, ledger, options, now.InUtc().Date, now);
        }
        else
        {
            document = IatiActivities.Organisation(await IatiSource.EverythingAsync(session, CancellationToken.None), options, now.InUtc().Date, now);
        }

        // A file, not standard output: the host's logs share the console.
        var file = Path.GetFullPath(input.OutFlag ?? (input.PackageFlag is { } one ? $"iati-activity-{one.Trim()}.xml" : "iati-activities.xml"));
        await File.WriteAllBytesAsync(file, IatiSource.Serialise(document));
        await Console.Out.WriteLineAsync($"Wrote {document.Root!.Elements("iati-activity").Count()} IATI activities to {file}.");
        return true;
    }
}
