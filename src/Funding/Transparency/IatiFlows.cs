using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using NodaTime;

namespace Funding.Transparency;

public static partial class IatiActivities
{
    /// <summary>One money flow of the ledger as an IATI transaction, on the activity it belongs to.</summary>
    /// <param name="PackageId">Money going out to a package is reported on the package's activity; everything else on the fund's.</param>
    /// <param name="EarmarkedTo">A contribution earmarked to a package: its donor also funds that package.</param>
    sealed record Flow(
        long Sequence, Instant RecordedAt, IatiTransaction Type, LocalDate Date, Money Value, string Description, Guid FundId, Guid? PackageId,
        Guid? EarmarkedTo = null, string? Donor = null, Fund? ProvidingFund = null, string? Receiver = null, string? Spender = null);

    /// <summary>The ledger's flows, each placed on exactly one activity, as each event declares its IATI treatment.</summary>
    sealed class Flows
    {
        public Dictionary<Guid, List<Flow>> IntoFund { get; } = new();
        public Dictionary<Guid, List<Flow>> OfPackage { get; } = new();
        public Dictionary<Guid, List<Flow>> OutOfFund { get; } = new();
        public Dictionary<Guid, List<string>> Earmarked { get; } = new();
        public Dictionary<Guid, Instant> LastRecorded { get; } = new();
        public Dictionary<Guid, LocalDate> FinanciallyClosedOn { get; } = new();

        public static Flows Of(IatiLedger ledger, LocalDate today)
        {
            var flows = new Flows();
            var funds = ledger.Funds.ToDictionary(x => x.Id);
            var packages = ledger.Packages.ToDictionary(x => x.Id);
            var contributions = new Dictionary<Guid, Contributor>();
            foreach (var logged in ledger.Events)
            {
                // One pass over the log gathers everything the activities need from it.
                if (!flows.LastRecorded.TryGetValue(logged.StreamId, out var last) || logged.RecordedAt > last)
                    flows.LastRecorded[logged.StreamId] = logged.RecordedAt;
                if (logged.Data is FundFinanciallyClosed closure) flows.FinanciallyClosedOn.TryAdd(closure.FundId, closure.ClosedOn);
                Contributor.Note(contributions, logged.Data);

                var flow = FlowOf(logged, funds, packages, contributions);
                // Transactions are what has happened: anything dated after today waits for its day.
                if (flow is null || flow.Value.Amount == 0m || flow.Date > today) continue;
                if (flow.PackageId is { } packageId)
                {
                    Add(flows.OfPackage, packageId, flow);
                    Add(flows.OutOfFund, flow.FundId, flow);
                }
                else
                {
                    Add(flows.IntoFund, flow.FundId, flow);
                    if (flow is { EarmarkedTo: { } earmarkedTo, Donor: { } donor }) Add(flows.Earmarked, earmarkedTo, donor);
                }
            }

            return flows;
        }

        static void Add<T>(Dictionary<Guid, List<T>> lists, Guid key, T item)
        {
            if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
            list.Add(item);
        }

        /// <summary>Who gave a contribution and to which package, if any, it is earmarked: later steps do not repeat it.</summary>
        sealed record Contributor(string Donor, Guid? EarmarkedTo)
        {
            /// <summary>A pledge or an agreement names the donor and the earmark; cash alone names only the donor.</summary>
            public static void Note(Dictionary<Guid, Contributor> contributions, object e)
            {
                if (e is PledgeRecorded pledge) contributions[pledge.ContributionId] = new(pledge.Donor, pledge.EarmarkedPackageId);
                else if (e is AgreementSigned agreement) contributions[agreement.ContributionId] = new(agreement.Donor, agreement.EarmarkedPackageId);
                else if (e is DepositReceived deposit) contributions.TryAdd(deposit.ContributionId, new(deposit.Donor, null));
            }
        }

        static Flow? FlowOf(LoggedEvent logged, Dictionary<Guid, Fund> funds, Dictionary<Guid, Package> packages, Dictionary<Guid, Contributor> contributions)
        {
            switch (LedgerEvents.Of(logged.Data).Iati)
            {
                case IatiTreatment.NotReported:
                    return null;
                case IatiTreatment.IntoFund { ContributionId: { } contributionId } into:
                    var contributor = contributions[contributionId];
                    var earmark = contributor.EarmarkedTo is { } packageId && packages.TryGetValue(packageId, out var package) ? $", earmarked for {package.Code}" : "";
                    return new Flow(logged.Sequence, logged.RecordedAt, into.Type, into.Date, into.Value, into.Description + earmark, into.FundId, null,
                        contributor.EarmarkedTo, contributor.Donor);
                case IatiTreatment.IntoFund into:
                    return new Flow(logged.Sequence, logged.RecordedAt, into.Type, into.Date, into.Value, into.Description, into.FundId, null, Donor: into.Provider);
                case IatiTreatment.OfPackage of:
                    // Money an implementing organisation spent is provided by it, not by the fund.
                    return new Flow(logged.Sequence, logged.RecordedAt, of.Type, of.Date, of.Value, of.Description, of.FundId, of.PackageId,
                        ProvidingFund: of.Spender is null ? funds.GetValueOrDefault(of.FundId) : null, Receiver: of.Receiver, Spender: of.Spender);
                case var other:
                    throw new InvalidOperationException($"{logged.Data.GetType().Name} declares an IATI treatment the export does not know: {other}.");
            }
        }
    }
}
