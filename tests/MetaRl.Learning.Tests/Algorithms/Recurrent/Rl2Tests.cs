using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Recurrent;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.PointRobot;
using MetaRl.Learning.Training;

namespace MetaRl.Learning.Tests.Algorithms.Recurrent;

[TestClass]
public sealed class Rl2Tests
{
    /// <summary>Two trials of three 2-step episodes; the second trial stops after 4 steps. Reward at step t of trial i: 10i + t + 1.</summary>
    private static Trials HandBuilt()
    {
        var trials = new Trials(2, 6, 1, 1);
        for (int i = 0; i < 2; i++)
        {
            trials.Lengths[i] = i == 0 ? 6 : 4;
            for (int t = 0; t < trials.Lengths[i]; t++)
            {
                trials.Rewards[i * 6 + t] = 10 * i + t + 1;
                trials.Episodes[i * 6 + t] = t / 2;
                trials.Values[i * 6 + t] = 0.5f * t;
            }
        }
        return trials;
    }

    [TestMethod]
    public void E_rl2_zeroes_exactly_the_explore_episodes_rewards()
    {
        var trials = HandBuilt();
        CollectionAssert.AreEqual(trials.Rewards, Rl2Learner.ObjectiveRewards(trials, 0), "RL²: every reward counts");
        var one = Rl2Learner.ObjectiveRewards(trials, 1);
        CollectionAssert.AreEqual(new float[] { 0, 0, 3, 4, 5, 6, 0, 0, 13, 14, 0, 0 }, one);
        var two = Rl2Learner.ObjectiveRewards(trials, 2);
        CollectionAssert.AreEqual(new float[] { 0, 0, 0, 0, 5, 6, 0, 0, 0, 0, 0, 0 }, two);
        Assert.AreEqual(1f, trials.Rewards[0], "the collected rewards (what the GRU reads) are untouched");
    }

    [TestMethod]
    public void Gae_runs_over_the_whole_trial_and_bootstraps_zero_at_its_end()
    {
        var trials = HandBuilt();
        var rewards = Rl2Learner.ObjectiveRewards(trials, 0);
        const double gamma = 0.9, lambda = 0.8;
        var (adv, ret) = Rl2Learner.Gae(trials, rewards, gamma, lambda);
        for (int i = 0; i < 2; i++)
        {
            int length = trials.Lengths[i];
            double running = 0;
            for (int t = length - 1; t >= 0; t--)
            {
                double v = 0.5 * t, next = t + 1 < length ? 0.5 * (t + 1) : 0;
                running = rewards[i * 6 + t] + gamma * next - v + gamma * lambda * running;
                Assert.AreEqual(running, adv[i * 6 + t], 1e-4, $"trial {i} step {t}");
                Assert.AreEqual(running + v, ret[i * 6 + t], 1e-4);
            }
            for (int t = length; t < 6; t++) Assert.AreEqual(0f, adv[i * 6 + t], "padding");
        }
    }

    [TestMethod]
    public void The_hidden_state_carries_across_the_episodes_of_a_trial()
    {
        // The same task and seed: the second episode of a trial differs from a fresh first episode
        // only through what the GRU remembers — the inputs of its first step say "previous done".
        var family = new PointRobotFamily();
        using var rl2 = new Rl2Learner(family, new Rl2Options { Width = 8, EpisodesPerTrial = 3, TrialsPerTask = 1 }, explore: true, 1);
        var task = family.FixedTaskSet(1, 5)[0];
        var trials = new TrialRollout(family, rl2.Policy, 3, 1).Run([task], 9, new TorchSharp.torch.Generator(2));
        Assert.AreEqual(3 * family.Horizon, trials.Lengths[0]);
        int input = rl2.Policy.InputSize;
        float DoneFlag(int t) => trials.Inputs[t * input + input - 1];
        Assert.AreEqual(0f, DoneFlag(0));
        Assert.AreEqual(1f, DoneFlag(family.Horizon), "the first step of episode 2 sees the previous episode end");
        Assert.AreEqual(0f, DoneFlag(family.Horizon + 1));
        Assert.AreEqual(2, trials.Episodes[3 * family.Horizon - 1]);
    }

    [TestMethod]
    public void Scores_are_the_first_episode_before_and_the_exploit_episodes_after()
    {
        var family = new PointRobotFamily();
        using var erl2 = new Rl2Learner(family, new Rl2Options { Width = 8, EpisodesPerTrial = 3, ExploreEpisodes = 1, TrialsPerTask = 2, Epochs = 1 }, explore: true, 1);
        var report = erl2.Iterate(TaskBatch.Uniform(family.FixedTaskSet(2, 3)), KeepAllTasks.Instance, 0);
        Assert.AreEqual(2, report.Scores.Length);
        Assert.AreEqual(2L * 2 * 3 * family.Horizon, report.EnvironmentSteps);
        Assert.IsTrue(report.Diagnostics.ContainsKey("approx_kl"));
        Assert.AreEqual("erl2", erl2.Name);
    }

    [TestMethod]
    public void Bad_rl2_settings_name_the_field()
    {
        var errors = new RunSpec { Family = "Point-Robot", Learner = Learners.ERl2, Rl2 = new Rl2Options { EpisodesPerTrial = 2, ExploreEpisodes = 2 } }.Validate();
        Assert.IsTrue(errors.Any(e => e.Contains("rl2.exploreEpisodes 2") && e.Contains("1 to episodesPerTrial − 1 (1)")), string.Join("; ", errors));
        Assert.AreEqual(0, new RunSpec { Family = "Point-Robot", Learner = Learners.Rl2, Rl2 = new Rl2Options { EpisodesPerTrial = 2, ExploreEpisodes = 2 } }.Validate().Count, "rl2 has no explore episodes");
    }
}
