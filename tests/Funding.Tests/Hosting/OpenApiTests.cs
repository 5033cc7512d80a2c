using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using NodaTime;
using Funding.Hosting.OpenApi;
using Funding.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Funding.Tests.Hosting;

/// <summary>The OpenAPI document lists every API endpoint, with a valid example of every write's body, and Scalar shows it.</summary>
public class OpenApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task the_document_lists_every_endpoint_with_an_example_body_for_every_write()
    {
        using var anonymous = app.Host.Server.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync(ApiDocument.Path))!;
        var paths = document["paths"]!.AsObject();

        var endpoints = ApiRoutes.All(app.Host.Services);
        endpoints.Count.ShouldBeGreaterThan(35);
        endpoints.Where(x => paths[x.Route]?[x.Method.ToLowerInvariant()] is null).ShouldBeEmpty("every endpoint is in the document");

        // A body with no fields (a confirmation) has nothing to show.
        bool HasFields(JsonNode body) =>
            body["schema"]?["$ref"]?.GetValue<string>() is not { } reference
            || document["components"]!["schemas"]![reference.Split('/').Last()]!["properties"]?.AsObject().Count > 0;
        var withoutExample = ApiRoutes.Of(app.Host.Services, "POST")
            .Where(route => paths[route]!["post"]!["requestBody"]?["content"]?.AsObject()
                .Any(x => x.Value!["example"] is not null || !HasFields(x.Value!)) != true)
            .ToList();
        withoutExample.ShouldBeEmpty("a POST route whose body has no example: add [RequestExample] (or AcceptsCsv's example) to its endpoint");

        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        var deposit = paths["/api/contributions/deposits"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var valueDate = document["components"]!["schemas"]![deposit.Split('/').Last()]!["properties"]!["valueDate"]!;
        valueDate.ToJsonString().ShouldBe("{\"oneOf\":[{\"type\":\"null\"},{\"$ref\":\"#/components/schemas/LocalDate\"}]}");
        document["components"]!["schemas"]!["LocalDate"]!.ToJsonString().ShouldBe("{\"type\":\"string\",\"format\":\"date\"}");
    }

    [Fact]
    public void every_json_example_is_a_command_that_passes_its_own_validation()
    {
        var json = JsonForFunding.CreateWeb();
        var examples = app.Host.Services.GetServices<EndpointDataSource>().SelectMany(x => x.Endpoints)
            .Select(x => (Endpoint: x.DisplayName, Example: x.Metadata.GetMetadata<RequestExampleAttribute>(), Body: x.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType))
            .Where(x => x.Example is not null)
            .ToList();
        examples.Count.ShouldBeGreaterThan(15);

        foreach (var (endpoint, example, body) in examples)
        {
            body.ShouldNotBeNull(endpoint);
            var command = JsonSerializer.Deserialize(example!.Json, body, json).ShouldBeAssignableTo<ICommand>(endpoint);
            var errors = new ValidationErrors();
            command!.Validate(errors, new LocalDate(2026, 12, 31));
            errors.ToDictionary().ShouldBeEmpty(endpoint);
        }
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
