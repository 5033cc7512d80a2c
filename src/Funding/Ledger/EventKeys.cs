namespace Funding.Ledger;

/// <summary>An event about a fund's money or settings, wherever its stream: read models of a fund key on it.</summary>
public interface IFundEvent
{
    Guid FundId { get; }
}

/// <summary>An event about an assistance package, from its own stream or a fund's.</summary>
public interface IPackageEvent
{
    Guid PackageId { get; }
}
