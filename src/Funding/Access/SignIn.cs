using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Funding.Access;

/// <summary>How the service knows who is calling: bearer tokens on the API, the session cookie in the pages.</summary>
public static class SignIn
{
    public static void AddSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.AddSingleton(services => SigningKey.From(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKey>((options, key) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = SigningKey.Issuer,
                ValidAudience = SigningKey.Audience,
                IssuerSigningKey = key.Key,
                NameClaimType = "sub",
                RoleClaimType = "role",
            };
            BrowserSession.Configure(options);
        });
    }
}
