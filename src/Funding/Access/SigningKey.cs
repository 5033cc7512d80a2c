using System.Security.Cryptography;
using Funding.Hosting.EmbeddedPostgres;
using Microsoft.IdentityModel.Tokens;

namespace Funding.Access;

/// <summary>
/// The key bearer tokens are signed with (HMAC-SHA256), from Funding:Auth:SigningKey (base64, at least 32 bytes).
/// Only the embedded default may do without: it creates a development key beside its data on first run, and only
/// with that key does the token verb issue demo tokens. A production server without a configured key is refused.
/// With Funding:Auth:Authority set, tokens come from that provider instead and no shared key is accepted at all.
/// </summary>
public sealed class SigningKey
{
    public const string Issuer = "funding";
    public const string Audience = "funding";
    public const string DevelopmentKeyFile = "dev-signing.key";

    SigningKey(byte[] bytes, bool isDevelopmentKey, bool fromProvider = false)
    {
        Key = new SymmetricSecurityKey(bytes);
        IsDevelopmentKey = isDevelopmentKey;
        FromProvider = fromProvider;
    }

    public SymmetricSecurityKey Key { get; }
    public bool IsDevelopmentKey { get; }

    /// <summary>Tokens come from the OpenID Connect provider (Funding:Auth:Authority); <see cref="Key"/> then signs and accepts nothing.</summary>
    public bool FromProvider { get; }

    public static SigningKey From(IConfiguration configuration)
    {
        var configured = configuration["Funding:Auth:SigningKey"];
        if (ProviderSettings(configuration, configured))
        {
            // A key nobody knows: the verbs and pages that ask for one get it, and no token is ever checked against it.
            return new SigningKey(RandomNumberGenerator.GetBytes(32), isDevelopmentKey: false, fromProvider: true);
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(configured);
            }
            catch (FormatException)
            {
                throw new AccessConfigurationException("Funding:Auth:SigningKey must be base64.");
            }

            return bytes.Length >= 32
                ? new SigningKey(bytes, isDevelopmentKey: false)
                : throw new AccessConfigurationException("Funding:Auth:SigningKey must hold at least 32 bytes (base64 of 32 random bytes).");
        }

        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(FundingDatabase.ConnectionStringName)))
        {
            throw new AccessConfigurationException(
                "With ConnectionStrings__Funding set (production), Funding__Auth__SigningKey must be set: base64 of at least 32 random bytes.");
        }

        var settings = configuration.GetSection("Funding:Postgres").Get<EmbeddedPostgresSettings>() ?? new EmbeddedPostgresSettings();
        var directory = PostgresCluster.DataDirectoryFor(settings);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, DevelopmentKeyFile);
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new SigningKey(Convert.FromBase64String(File.ReadAllText(file).Trim()), isDevelopmentKey: true);
    }

    /// <summary>Whether tokens come from a provider; refuses settings that contradict each other, naming them.</summary>
    static bool ProviderSettings(IConfiguration configuration, string? signingKey)
    {
        var auth = configuration.GetSection(AuthOptions.Section);
        var authority = auth["Authority"];
        if (string.IsNullOrWhiteSpace(authority))
        {
            return string.IsNullOrWhiteSpace(auth["ClientId"])
                ? false
                : throw new AccessConfigurationException(
                    "Funding:Auth:ClientId is set but Funding:Auth:Authority is not: the pages sign in through a provider only when Funding__Auth__Authority names it.");
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new AccessConfigurationException($"Funding:Auth:Authority must be the provider's issuer URL (https://...), not '{authority}'.");
        if (!string.IsNullOrWhiteSpace(signingKey))
        {
            throw new AccessConfigurationException(
                "Funding:Auth:Authority and Funding:Auth:SigningKey are both set: with a provider, tokens signed with the shared key are not accepted. Remove Funding__Auth__SigningKey.");
        }

        if (string.IsNullOrWhiteSpace(auth["Audience"]))
        {
            throw new AccessConfigurationException(
                "Funding:Auth:Authority is set but Funding:Auth:Audience is not: set Funding__Auth__Audience to the audience the provider issues the API's tokens for.");
        }

        return true;
    }
}

public sealed class AccessConfigurationException(string message) : Exception(message);
