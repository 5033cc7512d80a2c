namespace Funding.Funds;

/// <summary>The kinds of fund that pay for electoral assistance.</summary>
public enum FundKind
{
    RegularBudget,
    TrustFund,
    MultiPartnerBasketFund,
    MissionBudget,
    PeacebuildingFund,
    DemocracyFund,
}
