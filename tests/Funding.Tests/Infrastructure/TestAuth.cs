using System.Security.Claims;
using Alba.Security;
using Funding.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Funding.Tests.Infrastructure;

/// <summary>Real bearer tokens in tests: a test signing key, and Alba signing a token for every request.</summary>
public static class TestAuth
{
    public static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public const string User = "tester";

    public static void Configure(IWebHostBuilder web) => web.UseSetting("Funding:Auth:SigningKey", SigningKey);

    /// <summary>A bearer token signed with the test key, for plain HttpClients.</summary>
    public static string Token(string user, params string[] roles) => Token(user, [], roles);

    /// <summary>As <see cref="Token(string, string[])"/>, limited to funds and countries ("funds", "countries" claims).</summary>
    public static string Token(string user, IEnumerable<Claim> scopes, params string[] roles)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Funding:Auth:SigningKey"] = SigningKey }).Build();
        return TokenCommand.Issue(Funding.Access.SigningKey.From(configuration), user, roles, TimeSpan.FromHours(1), scopes);
    }

    public static HttpClient Authorised(this HttpClient client, string user, params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(user, roles));
        return client;
    }

    /// <summary>By default a user with every role; scenarios narrow it with RemoveClaim/WithClaim.</summary>
    public static JwtSecurityStub AllRoles()
    {
        var stub = new JwtSecurityStub().With(new Claim("sub", User));
        foreach (var role in Roles.All) stub.With(new Claim("role", role));
        return stub;
    }
}
