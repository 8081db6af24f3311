using MetaRl.Grains;

namespace MetaRl.Client.Tests;

[TestClass]
public sealed class UntrustedTests
{
    [TestMethod]
    public void A_long_quoted_value_is_shortened_and_what_follows_it_stays()
    {
        var message = $"--pt '{new string('k', 300)}' is invalid; allowed: a file name of at most 255 bytes";
        var shown = Untrusted.ShortenQuoted(message);
        StringAssert.StartsWith(shown, "--pt 'kkkk");
        StringAssert.Contains(shown, "(300 characters) is invalid; allowed: a file name of at most 255 bytes");
        Assert.IsTrue(shown.Length < 150, shown);
    }

    [TestMethod]
    public void The_apostrophes_of_two_short_quoted_values_are_not_read_as_one_long_value()
    {
        var message = "no cluster answered: tried cluster 'nobody' (service 'metarl') listed in Azure Table storage at http://127.0.0.1:41899/devstoreaccount1 (Could not find any gateway in 'Orleans.AzureUtils.AzureGatewayListProvider').";
        Assert.AreEqual(message, Untrusted.ShortenQuoted(message));
    }
}
