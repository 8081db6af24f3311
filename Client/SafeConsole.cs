using System.Text;

namespace MetaRl.Client;

/// <summary>
/// The last line of defence between what a command prints and the terminal: while a command runs,
/// stdout and stderr escape every control character but the line end (as \xNN) and every character
/// that reorders or breaks lines (as '?'), whatever the command or a library (a logger, the parser's
/// help) writes. The console's own terminal control — a redrawn frame, a status line rewritten in
/// place — goes through <see cref="Control"/>, which alone writes it raw.
/// </summary>
public static class SafeConsole
{
    private static volatile Guard? _installed;

    /// <summary>Guards Console.Out and Console.Error until the returned scope ends (then puts back what was there).</summary>
    public static IDisposable Install()
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var guard = new Guard(oldOut);
        Console.SetOut(guard);
        Console.SetError(new Guard(oldErr));
        _installed = guard;
        return new Scope(() =>
        {
            Console.Out.Flush();
            Console.Error.Flush();
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            _installed = null;
        });
    }

    /// <summary>Terminal control of the console's own (ESC sequences, a carriage return) to stdout, unescaped.</summary>
    public static void Control(string sequence)
    {
        if (_installed is { } guard) guard.Raw(sequence);
        else Console.Out.Write(sequence);
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    private sealed class Guard(TextWriter inner) : TextWriter
    {
        private readonly object _gate = new();

        public override Encoding Encoding => inner.Encoding;
        public override IFormatProvider FormatProvider => inner.FormatProvider;
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string NewLine
        {
            get => "\n";
            set { }
        }

        public override void Write(char value)
        {
            lock (_gate) WriteSafe(value);
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            lock (_gate) WriteSafe(value.AsSpan());
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_gate) WriteSafe(buffer.AsSpan(index, count));
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            lock (_gate) WriteSafe(buffer);
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                Write(value);
                inner.Write('\n');
            }
        }

        public override void WriteLine() => Write('\n');

        public override void Flush()
        {
            lock (_gate) inner.Flush();
        }

        public void Raw(string sequence)
        {
            lock (_gate)
            {
                inner.Write(sequence);
                inner.Flush();
            }
        }

        /// <summary>Runs of characters that need no escape go to the inner writer whole (it may flush on every write).</summary>
        private void WriteSafe(ReadOnlySpan<char> text)
        {
            while (!text.IsEmpty)
            {
                int i = 0;
                while (i < text.Length && !NeedsEscape(text[i])) i++;
                if (i > 0) inner.Write(text[..i]);
                if (i == text.Length) return;
                WriteSafe(text[i]);
                text = text[(i + 1)..];
            }
        }

        private static bool NeedsEscape(char c) => c != '\n' && (char.IsControl(c) || Untrusted.Reorders(c));

        private void WriteSafe(char c)
        {
            if (c == '\n') inner.Write(c);
            else if (char.IsControl(c)) inner.Write($"\\x{(int)c:X2}");
            else if (Untrusted.Reorders(c)) inner.Write('?');
            else inner.Write(c);
        }
    }
}
