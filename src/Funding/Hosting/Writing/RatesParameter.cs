using System.Reflection;
using Funding.Rates;
using JasperFx;
using JasperFx.CodeGeneration.Model;
using JasperFx.Core.Reflection;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http.CodeGen;
using Wolverine.Persistence.Sagas;

namespace Funding.Hosting.Writing;

/// <summary>
/// An endpoint parameter of type <see cref="OperationalRates"/> is the rates table, read once for the request. One with an
/// attribute, such as the [WriteAggregate] of publishing rates, is left to that attribute.
/// </summary>
public sealed class RatesParameter : IParameterStrategy
{
    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        variable = null;
        if (parameter.ParameterType != typeof(OperationalRates) || parameter.GetCustomAttributes<WolverineParameterAttribute>(inherit: true).Any()) return false;
        // Read as Wolverine reads an [Entity], so that it goes in the same batched query as the endpoint's aggregates:
        // one round trip fewer on every contribution command.
        var rules = container.GetInstance<WolverineOptions>().CodeGeneration;
        if (!rules.TryFindPersistenceFrameProvider(container, typeof(OperationalRates), out var provider))
            throw new InvalidOperationException("No Wolverine persistence provider loads the rates table.");
        var id = new Variable(typeof(Guid), $"{typeof(OperationalRates).FullNameInCode()}.{nameof(OperationalRates.StreamId)}");
        var load = provider.DetermineLoadFrame(container, typeof(OperationalRates), id);
        chain.Middleware.Add(load);
        variable = load.Creates.Single(x => x.VariableType == typeof(OperationalRates));
        return true;
    }
}
