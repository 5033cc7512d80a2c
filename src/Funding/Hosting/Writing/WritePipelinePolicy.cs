using System.Reflection;
using Funding.Shared;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Http;
using Wolverine.Http.CodeGen;
using Wolverine.Http.Resources;

namespace Funding.Hosting.Writing;

/// <summary>
/// Puts every endpoint that takes an <see cref="ICommand"/> and returns a <see cref="Decision"/> through
/// <see cref="WritePipeline"/>: its steps are generated into the endpoint's handler, around Wolverine's loading of the
/// aggregates and the transaction it commits.
/// </summary>
public sealed class WritePipelinePolicy : IHttpPolicy, IResourceWriterPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(x => x.RequestType?.IsAssignableTo(typeof(ICommand)) == true))
        {
            if (chain.ResourceType != typeof(Decision))
                throw new InvalidOperationException($"{chain.Method} takes a command: it must return the Decision its decider made.");

            var validate = Step(nameof(WritePipeline.Validate), chain.RequestType!);
            var replay = Step(nameof(WritePipeline.ReplayAsync), chain.RequestType!);
            var locks = Step(nameof(WritePipeline.LockAsync), chain.RequestType!);
            var admit = Step(nameof(WritePipeline.AdmitAsync), chain.RequestType!);
            // Before the aggregates are loaded, which Wolverine has already put in the chain's middleware. The locks are
            // a query plan: Wolverine runs it first in the batch that loads them, and admits with what it read.
            chain.Middleware.InsertRange(0,
            [
                validate, new MaybeEndWithResultFrame(validate.ReturnVariable!),
                replay, new MaybeEndWithResultFrame(replay.ReturnVariable!),
                locks,
                admit, new MaybeEndWithResultFrame(admit.ReturnVariable!),
            ]);
            // Before the transaction commits; an endpoint declaring 201 creates what it writes.
            var creates = chain.Method.Method.GetCustomAttributes<ProducesResponseTypeAttribute>().Any(x => x.StatusCode == StatusCodes.Status201Created);
            chain.Postprocessors.Insert(0, Step(creates ? nameof(WritePipeline.RecordCreating) : nameof(WritePipeline.Record), chain.RequestType!));
        }
    }

    /// <summary>A decision is answered once its transaction has committed, never written as the response body.</summary>
    public bool TryApply(HttpChain chain)
    {
        if (chain.ResourceType != typeof(Decision)) return false;
        chain.Postprocessors.Add(new MethodCall(typeof(WritePipeline), nameof(WritePipeline.AnswerAsync)));
        return true;
    }

    static MethodCall Step(string name, Type command) =>
        new(typeof(WritePipeline), typeof(WritePipeline).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(command));
}
