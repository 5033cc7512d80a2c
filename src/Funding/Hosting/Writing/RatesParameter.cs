using System.Reflection;
using Funding.Rates;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Attributes;
using Wolverine.Http.CodeGen;

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
        variable = new MethodCall(typeof(RatesParameter), nameof(LoadAsync)).ReturnVariable;
        return true;
    }

    public static Task<OperationalRates?> LoadAsync(IDocumentSession session, CancellationToken cancellation) =>
        session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
}
