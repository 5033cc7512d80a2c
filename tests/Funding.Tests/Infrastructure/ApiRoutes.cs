using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Funding.Tests.Infrastructure;

/// <summary>The API routes the service actually maps, read from its endpoint data sources.</summary>
public static class ApiRoutes
{
    /// <summary>Every (method, route template) under /api, the template as the endpoint declares it.</summary>
    public static IReadOnlyList<(string Method, string Route)> All(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(x => x.Endpoints).OfType<RouteEndpoint>()
            .Where(x => x.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(x => (x.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => (method, "/" + x.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().ToList();

    public static IReadOnlyList<string> Of(IServiceProvider services, string method) =>
        All(services).Where(x => x.Method == method).Select(x => x.Route).ToList();
}
