using System.Runtime.InteropServices;

namespace Funding.Benchmarks;

/// <summary>Ctrl+C or SIGTERM: runs the clean-up, then exits with 130.</summary>
public static class Interruption
{
    // Held in a static: a registration that is collected is finalised, and the signal's default (kill) comes back.
    static readonly List<PosixSignalRegistration> Registrations = [];

    public static bool Requested { get; private set; }

    public static void OnSignal(Action cleanUp)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            Registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Requested = true;
                cleanUp();
                Environment.Exit(130);
            }));
        }
    }
}
