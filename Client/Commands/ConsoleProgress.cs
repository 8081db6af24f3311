using System.Diagnostics;
using System.Globalization;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>
/// A run's long phases on the console (training iterations, validations, tests task by task). On a
/// terminal: one status line, rewritten in place as the phase moves and every second for the time it
/// has run; the command's own lines go above it. Otherwise (a pipe, a log file, or stderr beside
/// --json): plain lines — a test's start and end always, and at most one line every
/// <see cref="PlainEvery"/> between, so that no phase is silent for longer.
/// </summary>
public sealed class ConsoleProgress : IProgress<RunPhase>, IDisposable
{
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly bool _terminal;
    private readonly TextWriter _out;
    private readonly Timer _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private RunPhase? _phase;
    private string? _text;
    private TimeSpan _phaseStart, _lastLine, _lastDraw;
    private bool _statusShown, _disposed;

    /// <param name="stderr">Plain lines on stderr (stdout holds JSON).</param>
    public ConsoleProgress(bool stderr = false)
    {
        _terminal = !stderr && !Console.IsOutputRedirected;
        _out = stderr ? Console.Error : Console.Out;
        _timer = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Report(RunPhase phase)
    {
        lock (_gate)
        {
            if (_disposed || phase == _phase) return;
            bool fresh = _phase is not { } was || was.Kind != phase.Kind || was.What != phase.What || phase.Done < was.Done || phase.Kind == PhaseKind.Training;
            if (fresh) _phaseStart = _clock.Elapsed;
            _phase = phase;
            _text = Describe(phase);
            // A terminal is redrawn at most ten times a second, and always at a phase's start and end.
            if (_terminal && (fresh || phase.Done == phase.Total || _clock.Elapsed - _lastDraw >= TimeSpan.FromMilliseconds(100))) ShowStatus();
            else if (phase.Kind == PhaseKind.Test && (phase.Done == 0 || phase.Done == phase.Total)) Plain();
            else if (phase.Kind != PhaseKind.Training && _clock.Elapsed - _lastLine >= PlainEvery) Plain();
        }
    }

    /// <summary>A phase without counts ("evaluating a random policy on 40 test tasks").</summary>
    public void Begin(string text)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _phase = null;
            _text = text;
            _phaseStart = _clock.Elapsed;
            if (_terminal) ShowStatus();
            else Plain();
        }
    }

    /// <summary>No phase now: the status line goes, and nothing is printed until the next phase.</summary>
    public void Idle()
    {
        lock (_gate)
        {
            ClearStatus();
            _phase = null;
            _text = null;
        }
    }

    /// <summary>A line of the command's own, printed above the status line.</summary>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            ClearStatus();
            _out.WriteLine(line);
            _lastLine = _clock.Elapsed;
            if (_terminal && !_disposed && _text is not null && Ongoing) ShowStatus();
        }
    }

    /// <summary>Stops; the status line is cleared, so that the command's next lines start clean.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            ClearStatus();
            _disposed = true;
            _out.Flush();
        }
    }

    /// <summary>A phase is still going: an iteration until the next report, a counted phase until its last task, a phase without counts until <see cref="Idle"/>.</summary>
    private bool Ongoing => _phase is not { } p || p.Kind == PhaseKind.Training || p.Done < p.Total;

    private static string Describe(RunPhase p) => p.Kind switch
    {
        PhaseKind.Training => $"training: iteration {p.Done + 1}/{p.Total}",
        PhaseKind.Validation => $"validating: {p.Done}/{p.Total} validation tasks",
        _ => $"evaluating {p.What}: {p.Done}/{p.Total} test tasks",
    };

    private string Seconds() => (_clock.Elapsed - _phaseStart).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed || _text is null) return;
            if (!Ongoing) return;
            if (_terminal) ShowStatus();
            else if (_clock.Elapsed - _lastLine >= PlainEvery) Plain();
        }
    }

    private void Plain()
    {
        _out.WriteLine($"{_text} ({Seconds()})");
        _lastLine = _clock.Elapsed;
    }

    private void ShowStatus()
    {
        SafeConsole.Control("\r\u001b[K");
        _out.Write($"{_text} ({Seconds()})");
        _out.Flush();
        _statusShown = true;
        _lastDraw = _clock.Elapsed;
    }

    private void ClearStatus()
    {
        if (!_statusShown) return;
        SafeConsole.Control("\r\u001b[K");
        _statusShown = false;
    }
}
