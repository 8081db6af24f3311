using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace MetaRl.Client.Cluster;

/// <summary>
/// A host's log record on the console in one line — "12:00:01 warn: Category: message" — with the
/// message and its exception made safe (<see cref="Untrusted.Line"/>): log messages carry run ids,
/// errors and paths from storage.
/// </summary>
public sealed class SafeLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "metarl-safe";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        var exception = logEntry.Exception is { } e ? $" ({e.GetType().Name}: {Untrusted.Line(e.Message.Split('\n')[0], 300)})" : "";
        textWriter.Write($"{DateTime.Now:HH:mm:ss} {level}: {Untrusted.Line(logEntry.Category, 120)}: {Untrusted.Line(message, 2000)}{exception}\n");
    }
}
