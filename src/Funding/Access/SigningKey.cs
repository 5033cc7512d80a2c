using System.Security.Cryptography;
using Funding.Hosting.EmbeddedPostgres;
using Microsoft.IdentityModel.Tokens;

namespace Funding.Access;

/// <summary>
/// The key bearer tokens are signed with (HMAC-SHA256), from Funding:Auth:SigningKey (base64, at least 32 bytes).
/// Only the embedded default may do without: it creates a development key beside its data on first run, and only
/// with that key does the token verb issue demo tokens. A production server without a configured key is refused.
/// </summary>
public sealed class SigningKey
{
    public const string Issuer = "funding";
    public const string Audience = "funding";
    public const string DevelopmentKeyFile = "dev-signing.key";

    SigningKey(byte[] bytes, bool isDevelopmentKey)
    {
        Key = new SymmetricSecurityKey(bytes);
        IsDevelopmentKey = isDevelopmentKey;
    }

    public SymmetricSecurityKey Key { get; }
    public bool IsDevelopmentKey { get; }

    public static SigningKey From(IConfiguration configuration)
    {
        var configured = configuration["Funding:Auth:SigningKey"];
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
}

public sealed class AccessConfigurationException(string message) : Exception(message);
