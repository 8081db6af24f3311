using System.Security.Cryptography;
using System.Text;
using Orleans.Runtime;

namespace MetaRl.Storage.Tests;

/// <summary>The documented grain-state blob names, exactly: operators find state by them.</summary>
[TestClass]
public sealed class GrainStatePathsTests
{
    private static string Segment(string s) => GrainStatePaths.Segment(Encoding.UTF8.GetBytes(s));

    [TestMethod]
    public void A_grain_states_path_is_type_then_key_then_state_name()
    {
        Assert.AreEqual("runexecutor/r1/state", GrainStatePaths.Of("state", GrainId.Create("runexecutor", "r1")));
        Assert.AreEqual("~52un~45xecutor/~52un~2f1/~53tate", GrainStatePaths.Of("State", GrainId.Create("RunExecutor", "Run/1")));
    }

    [TestMethod]
    [DataRow("r-1_b.json", "r-1_b.json")]
    [DataRow("Run/1", "~52un~2f1")]
    [DataRow(".x", "~2ex")]
    [DataRow("..", "~2e.")]
    [DataRow("~", "~7e")]
    [DataRow("a b%", "a~20b~25")]
    [DataRow("é", "~c3~a9")]
    [DataRow("", "~")]
    public void Bytes_outside_lowercase_letters_digits_and_inner_dots_underscores_hyphens_are_escaped(string input, string expected)
    {
        Assert.AreEqual(expected, Segment(input));
    }

    [TestMethod]
    public void A_segment_up_to_the_limit_stays_whole_and_a_longer_one_is_cut_and_hashed()
    {
        var limit = new string('x', GrainStatePaths.MaxSegmentLength);
        Assert.AreEqual(limit, Segment(limit));

        var longer = limit + "x";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longer))[..16]);
        Assert.AreEqual(new string('x', 64) + "~~" + hash, Segment(longer));
        Assert.AreNotEqual(Segment(longer), Segment(limit + "y"));
    }

    [TestMethod]
    public void A_long_segment_is_cut_between_escapes_never_inside_one()
    {
        var input = new string('a', 63) + new string('A', 100);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input))[..16]);
        Assert.AreEqual(new string('a', 63) + "~~" + hash, Segment(input));
    }
}
