using MetaRl.Learning.Environments.KhazadDum;
using MetaRl.Learning.Environments.KrazyWorld;
using MetaRl.Learning.Environments.PointRobot;
using MetaRl.Learning.Environments.Supervised;

namespace MetaRl.Learning.Environments;

/// <summary>Every task family by its registered name (what specs and the CLI refer to).</summary>
public static class TaskFamilies
{
    private static readonly Dictionary<string, Func<ITaskFamily>> Factories = new(StringComparer.Ordinal)
    {
        ["HalfCheetah-Vel"] = () => new HalfCheetah.HalfCheetahVel(),
        ["HalfCheetah-Mass"] = () => new HalfCheetah.HalfCheetahMass(),
        ["HalfCheetah-Body"] = () => new HalfCheetah.HalfCheetahBody(),
        ["HalfCheetah-Fwd-Back"] = () => new HalfCheetah.HalfCheetahFwdBack(),
        ["Ant-Goal-2D"] = () => new Locomotion.AntGoal2D(),
        ["Ant-Fwd-Back"] = () => new Locomotion.AntFwdBack(),
        ["Walker-2D-Params"] = () => new Locomotion.WalkerParams(),
        ["Humanoid-Vel"] = () => new Locomotion.HumanoidVel(),
        ["Humanoid-Mass"] = () => new Locomotion.HumanoidMass(),
        ["Humanoid-Dir-2D"] = () => new Locomotion.HumanoidDir2D(),
        [KhazadDumFamily.DiscreteName] = () => new KhazadDumFamily(continuous: false),
        [KhazadDumFamily.ContinuousName] = () => new KhazadDumFamily(continuous: true),
        [PointRobotFamily.FamilyName] = () => new PointRobotFamily(),
        [KrazyWorldFamily.FamilyName] = () => new KrazyWorldFamily(),
        [SineRegression.FamilyName] = () => new SineRegression(),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Exists(string name) => Factories.ContainsKey(name);

    /// <summary>The family called <paramref name="name"/>; an unknown name throws, listing the known ones.</summary>
    public static ITaskFamily Create(string name) =>
        Factories.TryGetValue(name, out var f) ? f() : throw new ArgumentException($"unknown task family '{name}'; allowed: {string.Join(", ", Factories.Keys)}", nameof(name));

    public static IRlTaskFamily CreateRl(string name) =>
        Create(name) as IRlTaskFamily ?? throw new ArgumentException($"task family '{name}' is supervised, not reinforcement learning", nameof(name));
}
