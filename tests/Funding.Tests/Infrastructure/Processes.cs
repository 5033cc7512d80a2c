namespace Funding.Tests.Infrastructure;

public static class Processes
{
    /// <summary>Alive and not a zombie: a stopped server lingers as a zombie until its reaper collects it.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X' or default(char));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
