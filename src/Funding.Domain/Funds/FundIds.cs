using Funding.Shared;

namespace Funding.Funds;

public static class FundIds
{
    // Never change: existing codes would map to new streams.
    static readonly Guid Namespace = new("6f0d9a8e-5c3b-4c1e-9a57-0f4e3d2b1a90");

    /// <summary>A fund is known by its code; establishing the same code twice finds the fund already there.</summary>
    public static Guid For(string code) => DeterministicGuid.Create(Namespace, code);
}
