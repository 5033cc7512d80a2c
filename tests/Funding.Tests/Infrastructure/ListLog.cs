using Microsoft.Extensions.Logging;

namespace Funding.Tests.Infrastructure;

/// <summary>A logger provider for a test host that hands every entry at Information or above to the test.</summary>
public sealed class ListLog(Action<string, LogLevel, string, Exception?> entry) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entry);

    public void Dispose()
    {
    }

    sealed class Logger(string category, Action<string, LogLevel, string, Exception?> entry) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) entry(category, logLevel, formatter(state, exception), exception);
        }
    }
}
