namespace OrleansSync.Silo.Hosting;

/// <summary>
/// A start-up problem the operator must fix. The host prints its message as one line
/// and exits with <see cref="ExitCode"/> instead of a stack trace.
/// </summary>
internal sealed class StartupFailure : Exception
{
    public StartupFailure(string message, int exitCode = 2, Exception? innerException = null)
        : base(message, innerException) => ExitCode = exitCode;

    public int ExitCode { get; }
}
