namespace MetaRl.Bench;

public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        if (s.Length == 0) return double.NaN;
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    /// <summary>Times <paramref name="step"/>: <paramref name="warmup"/> unmeasured calls, then one measurement per repetition (seconds).</summary>
    public static List<double> Time(Action step, int reps, int warmup)
    {
        for (int i = 0; i < warmup; i++) step();
        var times = new List<double>(reps);
        for (int i = 0; i < reps; i++)
        {
            long t = System.Diagnostics.Stopwatch.GetTimestamp();
            step();
            times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalSeconds);
        }
        return times;
    }
}
