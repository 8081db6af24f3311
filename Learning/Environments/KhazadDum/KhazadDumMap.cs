namespace MetaRl.Learning.Environments.KhazadDum;

/// <summary>
/// The fixed geometry of Khazad-Dum, as pure functions of a continuous position (x, y).
/// <code>
///  cell row
///     8   . . . . . . . . . . .
///     7   . . G . . . . . . . .     G: goal cell [2,3)×[7,8)
///     6   . . . . . . . . . . .
///     5   ~ ~ N ~ ~ ~ ~ W W W ~     3 &lt; y &lt; 6: abyss (~) except two bridges:
///     4   ~ ~ N ~ ~ ~ ~ W W W ~       N: narrow bridge, x ∈ [2,3)
///     3   ~ ~ N ~ ~ ~ ~ W W W ~       W: wide bridge,   x ∈ [7,10)
///     2   s s s . . . . . . . .
///     1   s s s . . . . . . . .     s: cells the start area [0.5, 2.5]² overlaps
///     0   s s s . . . . . . . .
///         0 1 2 3 4 5 6 7 8 9 10    cell column
/// </code>
/// The narrow bridge is the short way to the goal, the wide one a detour that is safe under noise:
/// which one is better depends on the task's noise level, which is what makes the family a test of
/// robustness (a policy tuned to low noise falls on high-noise tasks).
/// </summary>
public static class KhazadDumMap
{
    public const double Width = 11;
    public const double Height = 9;

    /// <summary>The abyss rows are the open interval (AbyssLow, AbyssHigh) in y.</summary>
    public const double AbyssLow = 3;
    public const double AbyssHigh = 6;

    public const double GoalX = 2, GoalY = 7;
    public const double StartLow = 0.5, StartHigh = 2.5;

    /// <summary>The largest coordinates inside the half-open grid [0, 11) × [0, 9).</summary>
    public static readonly double MaxX = Math.BitDecrement(Width), MaxY = Math.BitDecrement(Height);

    /// <summary>In the rows the abyss spans, whether on a bridge or not: moves made from here are noisy.</summary>
    public static bool InAbyssRows(double y) => y > AbyssLow && y < AbyssHigh;

    public static bool OnNarrowBridgeColumn(double x) => x >= 2 && x < 3;

    public static bool OnWideBridgeColumn(double x) => x >= 7 && x < 10;

    public static bool OnBridge(double x, double y) => InAbyssRows(y) && (OnNarrowBridgeColumn(x) || OnWideBridgeColumn(x));

    /// <summary>Over the abyss and on neither bridge: a position that ends a step here has fallen.</summary>
    public static bool InAbyss(double x, double y) => InAbyssRows(y) && !OnNarrowBridgeColumn(x) && !OnWideBridgeColumn(x);

    public static bool InGoal(double x, double y) => x >= GoalX && x < GoalX + 1 && y >= GoalY && y < GoalY + 1;

    /// <summary>L1 distance to the goal cell's centre (2.5, 7.5).</summary>
    public static double DistanceToGoal(double x, double y) => Math.Abs(x - (GoalX + 0.5)) + Math.Abs(y - (GoalY + 0.5));

    /// <summary>Walls: the grid's border blocks, so a position is clipped into the grid.</summary>
    public static (double X, double Y) ClipToGrid(double x, double y) => (Math.Clamp(x, 0, MaxX), Math.Clamp(y, 0, MaxY));
}
