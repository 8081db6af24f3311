using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.KrazyWorld;

namespace MetaRl.Learning.Tests.Environments;

[TestClass]
public sealed class KrazyWorldTests
{
    // Directions: 0 = +y, 1 = −y, 2 = −x, 3 = +x. The hand-built boards below map action a to direction a.
    private const int Up = 0, Down = 1, Left = 2, Right = 3;
    private static readonly int[] IdentityActions = [0, 1, 2, 3];
    private static readonly int[] IdentityColours = [0, 1, 2, 3, 4, 5];

    private static readonly KrazyWorldFamily Family = new();

    private static int Tile(int x, int y) => y * KrazyBoard.Size + x;

    /// <summary>An all-normal board with the agent at (5, 5) and the given special tiles.</summary>
    private static KrazyBoard Board(int[]? actions = null, params (int X, int Y, KrazyTile Tile)[] special)
    {
        var tiles = new KrazyTile[KrazyBoard.TileCount];
        foreach (var (x, y, tile) in special) tiles[Tile(x, y)] = tile;
        return new KrazyBoard(tiles, Tile(5, 5), IdentityColours, actions ?? IdentityActions);
    }

    private static KrazyWorldEnvironment Create(KrazyBoard board)
    {
        var env = new KrazyWorldEnvironment(Family.TaskAt([0.5]), 1, board);
        env.Reset(new float[KrazyWorldEnvironment.ObservationLength]);
        return env;
    }

    private static StepResult Step(KrazyWorldEnvironment env, int action) =>
        env.Step([action], new float[KrazyWorldEnvironment.ObservationLength]);

    [TestMethod]
    public void Is_registered_with_four_actions_a_hundred_step_horizon_and_a_board_sized_observation()
    {
        var family = TaskFamilies.CreateRl("Krazy-World");
        Assert.IsInstanceOfType<KrazyWorldFamily>(family);
        Assert.AreEqual(4, ((DiscreteSpace)family.ActionSpace).Count);
        Assert.AreEqual(100, family.Horizon);
        Assert.AreEqual(10 * 10 * 6 + 100 + 1, family.ObservationSpace.Size);
    }

    [TestMethod]
    public void The_board_latent_maps_to_an_integer_seed_below_two_to_the_31()
    {
        Assert.AreEqual(0, Family.TaskAt([0])["board_seed"]);
        Assert.AreEqual(1 << 30, Family.TaskAt([0.5])["board_seed"]);
        Assert.AreEqual(int.MaxValue, Family.TaskAt([1])["board_seed"]);
        Assert.AreEqual(Math.Floor(0.123456789 * 2147483648.0), Family.TaskAt([0.123456789])["board_seed"]);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Family.ToParameters([1.5]));
        Assert.AreEqual(0.5, FamilyHarness.MeanParameter(Family, "board_seed") / 2147483648.0, 0.01);
    }

    [TestMethod]
    public void The_same_seed_gives_the_same_board_and_an_environment_plays_its_task_board()
    {
        var a = KrazyBoard.Generate(12345);
        var b = KrazyBoard.Generate(12345);
        CollectionAssert.AreEqual(a.Tiles.ToArray(), b.Tiles.ToArray());
        Assert.AreEqual(a.Start, b.Start);
        CollectionAssert.AreEqual(a.Colours.ToArray(), b.Colours.ToArray());
        CollectionAssert.AreEqual(a.ActionDirections.ToArray(), b.ActionDirections.ToArray());

        var task = Family.TaskAt([0.25]);
        using var env = (KrazyWorldEnvironment)Family.CreateEnvironment(task, 3);
        var expected = KrazyBoard.Generate((int)task["board_seed"]);
        CollectionAssert.AreEqual(expected.Tiles.ToArray(), env.Board.Tiles.ToArray());
        CollectionAssert.AreEqual(expected.ActionDirections.ToArray(), env.Board.ActionDirections.ToArray());
    }

    [TestMethod]
    public void Different_seeds_give_different_boards_colours_and_action_mappings()
    {
        var boards = Enumerable.Range(0, 60).Select(s => KrazyBoard.Generate(s * 7919)).ToList();
        var layouts = boards.Select(b => string.Join(",", b.Tiles.Select(t => (int)t))).ToHashSet();
        Assert.HasCount(boards.Count, layouts, "every board layout is distinct");
        var colourings = boards.Select(b => string.Join(",", b.Colours)).ToHashSet();
        var mappings = boards.Select(b => string.Join(",", b.ActionDirections)).ToHashSet();
        Assert.IsGreaterThan(30, colourings.Count, $"{colourings.Count} colourings of 720 possible");
        Assert.IsGreaterThan(15, mappings.Count, $"{mappings.Count} action mappings of 24 possible");
        foreach (var board in boards)
        {
            CollectionAssert.AreEquivalent(new[] { 0, 1, 2, 3 }, board.ActionDirections.ToArray());
            CollectionAssert.AreEquivalent(IdentityColours, board.Colours.ToArray());
        }
    }

    [TestMethod]
    public void A_generated_board_has_the_prescribed_tile_counts_and_starts_on_a_normal_tile()
    {
        foreach (var seed in new[] { 0, 1, 2, 99, int.MaxValue })
        {
            var board = KrazyBoard.Generate(seed);
            int Count(KrazyTile t) => board.Tiles.Count(x => x == t);
            Assert.AreEqual(3, Count(KrazyTile.Goal));
            Assert.AreEqual(10, Count(KrazyTile.Death));
            Assert.AreEqual(5, Count(KrazyTile.Ice));
            Assert.AreEqual(5, Count(KrazyTile.Energy));
            Assert.AreEqual(2, Count(KrazyTile.Transporter));
            Assert.AreEqual(75, Count(KrazyTile.Normal));
            Assert.AreEqual(KrazyTile.Normal, board[board.Start]);
        }
    }

    [TestMethod]
    public void Actions_move_in_the_direction_the_board_maps_them_to()
    {
        var env = Create(Board(actions: [3, 2, 0, 1])); // action 0 → +x, 1 → −x, 2 → +y, 3 → −y
        Step(env, 0);
        Assert.AreEqual(Tile(6, 5), env.Position);
        Step(env, 2);
        Assert.AreEqual(Tile(6, 6), env.Position);
        Step(env, 1);
        Step(env, 1);
        Assert.AreEqual(Tile(4, 6), env.Position);
        Step(env, 3);
        Assert.AreEqual(Tile(4, 5), env.Position);
    }

    [TestMethod]
    public void Stepping_on_a_death_tile_ends_the_episode()
    {
        var env = Create(Board(null, (6, 5, KrazyTile.Death)));
        Assert.AreEqual(new StepResult(0, false, false), Step(env, Up));
        Step(env, Down);
        var death = Step(env, Right);
        Assert.IsTrue(death.Terminated);
        Assert.AreEqual(0, death.Reward);
        Assert.AreEqual(Tile(6, 5), env.Position);
        var after = Step(env, Left);
        Assert.IsTrue(after.Terminated, "steps after the end keep reporting it");
        Assert.AreEqual(Tile(6, 5), env.Position, "and change nothing");
    }

    [TestMethod]
    public void The_episode_ends_when_the_energy_runs_out_after_eleven_moves()
    {
        var env = Create(Board());
        var observation = new float[KrazyWorldEnvironment.ObservationLength];
        for (int t = 1; t <= 11; t++)
        {
            var result = env.Step([t % 2 == 0 ? Left : Right], observation);
            Assert.AreEqual(11 - t, env.Energy);
            Assert.AreEqual((11f - t) / 11, observation[^1]);
            Assert.AreEqual(t == 11, result.Terminated, $"move {t}");
        }
    }

    [TestMethod]
    public void Bumping_into_the_border_stays_put_but_still_costs_energy()
    {
        var tiles = new KrazyTile[KrazyBoard.TileCount];
        var env = Create(new KrazyBoard(tiles, Tile(0, 0), IdentityColours, IdentityActions));
        Step(env, Left);
        Step(env, Down);
        Assert.AreEqual(Tile(0, 0), env.Position);
        Assert.AreEqual(9, env.Energy);
    }

    [TestMethod]
    public void Every_arrival_on_an_energy_tile_adds_eight()
    {
        var env = Create(Board(null, (6, 5, KrazyTile.Energy), (9, 5, KrazyTile.Energy)));
        Step(env, Right);
        Assert.AreEqual(11 - 1 + 8, env.Energy);
        Step(env, Left);
        Step(env, Right);
        Assert.AreEqual(18 - 2 + 8, env.Energy, "a second visit pays again");
        Step(env, Right);
        Step(env, Right);
        Step(env, Right);
        Assert.AreEqual(24 - 3 + 8, env.Energy);
        Step(env, Right);
        Assert.AreEqual(28, env.Energy, "bumping into the border from an energy tile is no arrival");
    }

    [TestMethod]
    public void Each_goal_pays_one_once_and_then_shows_as_a_normal_tile()
    {
        var board = Board(null, (6, 5, KrazyTile.Goal), (8, 5, KrazyTile.Goal));
        var env = Create(board);
        var observation = new float[KrazyWorldEnvironment.ObservationLength];
        var first = env.Step([Right], observation);
        Assert.AreEqual(1, first.Reward);
        Assert.IsFalse(first.Terminated);
        Assert.AreEqual(1f, observation[Tile(6, 5) * 6 + board.ColourOf(KrazyTile.Normal)]);
        Assert.AreEqual(0f, observation[Tile(6, 5) * 6 + board.ColourOf(KrazyTile.Goal)]);
        Assert.AreEqual(1f, observation[Tile(8, 5) * 6 + board.ColourOf(KrazyTile.Goal)], "the other goal still shows");
        Assert.AreEqual(0, env.Step([Left], observation).Reward);
        Assert.AreEqual(0, env.Step([Right], observation).Reward, "a collected goal pays nothing");
        Assert.AreEqual(0, env.Step([Right], observation).Reward);
        var last = env.Step([Right], observation);
        Assert.AreEqual(1, last.Reward);
        Assert.IsTrue(last.Terminated, "nothing is left to earn once every goal is collected");
    }

    [TestMethod]
    public void Ice_slides_the_agent_exactly_one_more_tile()
    {
        var env = Create(Board(null, (6, 5, KrazyTile.Ice), (8, 5, KrazyTile.Ice), (9, 5, KrazyTile.Ice), (5, 6, KrazyTile.Ice)));
        Step(env, Right);
        Assert.AreEqual(Tile(7, 5), env.Position);
        Step(env, Right);
        Assert.AreEqual(Tile(9, 5), env.Position, "slid onto more ice, and stops there");
        Step(env, Left);
        Step(env, Left);
        Assert.AreEqual(Tile(5, 5), env.Position, "both ice tiles slide on the way back");
        Step(env, Up);
        Assert.AreEqual(Tile(5, 7), env.Position);

        var edge = Create(Board(null, (5, 9, KrazyTile.Ice), (5, 6, KrazyTile.Normal)));
        for (int i = 0; i < 4; i++) Step(edge, Up);
        Assert.AreEqual(Tile(5, 9), edge.Position, "the border stops a slide");
    }

    [TestMethod]
    public void A_transporter_sends_the_agent_to_its_partner_also_after_a_slide()
    {
        var env = Create(Board(null, (6, 5, KrazyTile.Transporter), (1, 1, KrazyTile.Transporter)));
        Step(env, Right);
        Assert.AreEqual(Tile(1, 1), env.Position);
        Step(env, Up);
        Step(env, Down);
        Assert.AreEqual(Tile(6, 5), env.Position, "arriving on the partner sends the agent back");

        var slide = Create(Board(null, (6, 5, KrazyTile.Ice), (7, 5, KrazyTile.Transporter), (1, 1, KrazyTile.Transporter)));
        Step(slide, Right);
        Assert.AreEqual(Tile(1, 1), slide.Position);
    }

    [TestMethod]
    public void The_observation_shows_each_tile_colour_the_agent_tile_and_the_energy()
    {
        var board = KrazyBoard.Generate(4242);
        using var env = new KrazyWorldEnvironment(Family.TaskAt([0.5]), 1, board);
        var observation = new float[KrazyWorldEnvironment.ObservationLength];
        env.Reset(observation);
        for (int i = 0; i < KrazyBoard.TileCount; i++)
        {
            var colours = observation.AsSpan(i * 6, 6).ToArray();
            Assert.AreEqual(1f, colours.Sum());
            Assert.AreEqual(1f, colours[board.ColourOf(board[i])], $"tile {i}");
        }
        var agent = observation.AsSpan(600, 100).ToArray();
        Assert.AreEqual(1f, agent.Sum());
        Assert.AreEqual(1f, agent[board.Start]);
        Assert.AreEqual(1f, observation[700]);
    }

    [TestMethod]
    public void Hand_built_boards_are_checked()
    {
        var tiles = new KrazyTile[KrazyBoard.TileCount];
        Assert.ThrowsExactly<ArgumentException>(() => new KrazyBoard(tiles, 0, [0, 1, 2, 3, 4, 4], IdentityActions));
        Assert.ThrowsExactly<ArgumentException>(() => new KrazyBoard(tiles, 0, IdentityColours, [0, 1, 2]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new KrazyBoard(tiles, 100, IdentityColours, IdentityActions));
        tiles[3] = KrazyTile.Transporter;
        Assert.ThrowsExactly<ArgumentException>(() => new KrazyBoard(tiles, 0, IdentityColours, IdentityActions));
    }

    [TestMethod]
    public void Spaces_and_horizon_match_the_family()
    {
        FamilyHarness.AssertSpacesMatch(Family, Family.TaskAt([0.6]));
        // On a board of energy tiles every move gains more than it costs, so only the horizon ends the episode.
        var tiles = Enumerable.Repeat(KrazyTile.Energy, KrazyBoard.TileCount).ToArray();
        tiles[Tile(5, 5)] = KrazyTile.Normal;
        var env = Create(new KrazyBoard(tiles, Tile(5, 5), IdentityColours, IdentityActions));
        FamilyHarness.AssertTruncatedExactlyAtHorizon(env, 100, t => [t % 2 == 0 ? Up : Down]);
    }

    [TestMethod]
    public void Same_task_seed_and_actions_give_identical_runs()
    {
        FamilyHarness.AssertDeterministic(Family, Family.TaskAt([0.77]), steps: 100);
    }

    [TestMethod]
    public void A_batch_gives_the_same_results_on_one_thread_and_on_two()
    {
        FamilyHarness.AssertBatchIndependentOfThreads(Family, steps: 30);
    }

    [TestMethod]
    public void A_restored_state_continues_exactly_like_the_original()
    {
        FamilyHarness.AssertSaveRestoreContinues(Family, Family.TaskAt([0.31]), before: 6, after: 50);
    }
}
