using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Funding.Tests.Infrastructure.TestRunFramework", "Funding.Tests")]

namespace Funding.Tests.Infrastructure;

/// <summary>xunit's own framework, plus removing the run's test cluster once every test has finished, pass or fail.</summary>
public sealed class TestRunFramework : XunitTestFramework
{
    public TestRunFramework(IMessageSink messageSink) : base(messageSink)
    {
        DisposalTracker.Add(new ShutdownTestCluster());
    }

    sealed class ShutdownTestCluster : IDisposable
    {
        public void Dispose() => TestCluster.Shutdown();
    }
}
