using NodaTime;

namespace Funding.Hosting;

/// <summary>NodaTime's clock over .NET's TimeProvider, so "today" and an event's recorded time come from one clock.</summary>
public sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public Instant GetCurrentInstant() => Instant.FromDateTimeOffset(time.GetUtcNow());
}
