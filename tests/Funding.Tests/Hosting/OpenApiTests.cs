using System.Text.Json.Nodes;
using Funding.Hosting.OpenApi;
using Funding.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Funding.Tests.Hosting;

/// <summary>The OpenAPI document lists every API endpoint, with examples on the money commands, and Scalar shows it.</summary>
public class OpenApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task the_document_lists_every_endpoint_with_examples_for_the_money_commands()
    {
        using var anonymous = app.Host.Server.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync(ApiDocument.Path))!;
        var paths = document["paths"]!.AsObject();

        var endpoints = app.Host.Services.GetServices<EndpointDataSource>()
            .SelectMany(x => x.Endpoints).OfType<RouteEndpoint>()
            .Where(x => x.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(x => (x.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => (Path: "/" + x.RoutePattern.RawText!.TrimStart('/'), Method: method.ToLowerInvariant())))
            .Distinct().ToList();
        endpoints.Count.ShouldBeGreaterThan(35);
        endpoints.Where(x => paths[x.Path]?[x.Method] is null).ShouldBeEmpty("every endpoint is in the document");

        foreach (var (key, example) in ApiDocument.Examples)
        {
            var (method, path) = (key.Split(' ')[0].ToLowerInvariant(), "/" + key.Split(' ')[1]);
            var shown = paths[path]![method]!["requestBody"]!["content"]!["application/json"]!["example"];
            JsonNode.DeepEquals(shown, JsonNode.Parse(example)).ShouldBeTrue(key);
        }

        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        var deposit = paths["/api/contributions/deposits"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var valueDate = document["components"]!["schemas"]![deposit.Split('/').Last()]!["properties"]!["valueDate"]!;
        valueDate.ToJsonString().ShouldBe("{\"oneOf\":[{\"type\":\"null\"},{\"$ref\":\"#/components/schemas/LocalDate\"}]}");
        document["components"]!["schemas"]!["LocalDate"]!.ToJsonString().ShouldBe("{\"type\":\"string\",\"format\":\"date\"}");
    }

    [Fact]
    public async Task scalar_serves_a_browsable_reference()
    {
        using var anonymous = app.Host.Server.CreateClient();
        var page = await anonymous.GetAsync("/scalar/v1");
        page.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("Funding API");
    }
}
