using System.Security.Claims;
using Funding.Periods;
using JasperFx.Events;
using Wolverine.Persistence;

namespace Funding.Contributions.Correcting;

public static class CorrectAgreementEndpoint
{
    /// <summary>The agreement in force, with its place in the log: the correction names the event it corrects.</summary>
    public static async Task<IEvent<AgreementSigned>?> LoadAsync(Guid contributionId, IDocumentSession session, CancellationToken cancellation) =>
        (await session.Events.FetchStreamAsync(contributionId, token: cancellation)).OfType<IEvent<AgreementSigned>>().LastOrDefault();

    [WolverinePost("/api/contributions/{contributionId}/agreement-corrections")]
    [RequestExample("""{"amount":{"amount":12000000,"currency":"NOK"},"reason":"The agreement as countersigned says NOK 12,000,000"}""")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Ask for a correction of a wrongly recorded agreement: reversal and re-entry once a second finance officer confirms")]
    public static Decision Post(
        CorrectAgreement command, [WriteAggregate] Contribution contribution, IEvent<AgreementSigned>? signing,
        [Entity(nameof(CorrectAgreement.PeriodsId), Required = false)] AccountingPeriods? periods, ClaimsPrincipal user) =>
        CorrectAgreement.Decide(contribution, signing, periods ?? AccountingPeriods.None, command, ActorStamp.NameOf(user));
}

public static class ConfirmAgreementCorrectionEndpoint
{
    [WolverinePost("/api/contributions/{contributionId}/agreement-corrections/confirmation")]
    [ProducesResponseType<Recorded>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.FinanceOfficer)]
    [Tags("Contributions")]
    [EndpointSummary("Confirm a requested agreement correction (a different finance officer)")]
    public static Decision Post(
        ConfirmAgreementCorrection command, [WriteAggregate] Contribution contribution,
        [Entity(nameof(ConfirmAgreementCorrection.PeriodsId), Required = false)] AccountingPeriods? periods, ClaimsPrincipal user) =>
        ConfirmAgreementCorrection.Decide(contribution, periods ?? AccountingPeriods.None, command, ActorStamp.NameOf(user));
}
