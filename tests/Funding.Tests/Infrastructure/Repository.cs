namespace Funding.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The checkout's top directory, found from the test binaries upwards.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Funding.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No Funding.sln above {AppContext.BaseDirectory}");
    }
}
