namespace Funding.Hosting.EmbeddedPostgres;

/// <summary>Where and how the private PostgreSQL cluster runs. Bound from the "Funding:Postgres" section.</summary>
public sealed class EmbeddedPostgresSettings
{
    /// <summary>Holds the cluster (postgres/) and its superuser password; kept between runs.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The unprivileged account the server runs as when the service runs as root.</summary>
    public string OsUser { get; set; } = "postgres";

    /// <summary>Off only for throwaway test clusters: trades crash safety for speed.</summary>
    public bool Durable { get; set; } = true;

    public int MaxConnections { get; set; } = 200;
}
