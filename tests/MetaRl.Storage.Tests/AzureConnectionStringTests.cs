namespace MetaRl.Storage.Tests;

/// <summary>A connection string checked as the Azure SDK reads it, its problem named, its secrets never shown.</summary>
[TestClass]
public sealed class AzureConnectionStringTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Endpoints = "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:2/devstoreaccount1";

    [TestMethod]
    public void A_usable_string_has_no_problem()
    {
        Assert.IsNull(AzureConnectionString.BlobProblem($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};{Endpoints}"));
        Assert.IsNull(AzureConnectionString.BlobProblem("UseDevelopmentStorage=true"));
    }

    [TestMethod]
    public void Each_problem_is_named_in_the_strings_terms()
    {
        StringAssert.Contains(AzureConnectionString.BlobProblem("garbage"), "not a list of name=value pairs");
        StringAssert.Contains(AzureConnectionString.BlobProblem($"DefaultEndpointsProtocol=http;AccountName=a;AccountKey=s3cret*;{Endpoints}"), "AccountKey is not Base-64");
        StringAssert.Contains(AzureConnectionString.BlobProblem($"DefaultEndpointsProtocol=http;AccountName=a;{Endpoints}"), "no AccountKey");
    }

    [TestMethod]
    public void Secrets_are_hidden_wherever_they_are()
    {
        var shown = AzureConnectionString.Redacted($"AccountName=a;AccountKey={Key};SharedAccessSignature=sv=1&sig=abc;BlobEndpoint=http://h/a?sv=1&sig=xyz;loose-secret");
        Assert.IsFalse(shown.Contains(Key, StringComparison.Ordinal), shown);
        Assert.IsFalse(shown.Contains("abc", StringComparison.Ordinal), shown);
        Assert.IsFalse(shown.Contains("xyz", StringComparison.Ordinal), shown);
        Assert.IsFalse(shown.Contains("loose-secret", StringComparison.Ordinal), shown);
        StringAssert.Contains(shown, "AccountName=a;AccountKey=(hidden)");
        StringAssert.Contains(shown, "BlobEndpoint=http://h/a?sv=1&sig=(hidden)");
    }

    [TestMethod]
    public void Storage_options_name_the_connection_string_without_its_key()
    {
        var errors = new StorageOptions { Provider = "azure", ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=a;AccountKey=not*base64*secret;{Endpoints}" }.Validate();
        Assert.HasCount(1, errors);
        StringAssert.Contains(errors[0], "connection string (METARL_AZURE_CONNECTION_STRING or --connection-string)");
        StringAssert.Contains(errors[0], "AccountKey is not Base-64");
        Assert.IsFalse(errors[0].Contains("not*base64*secret", StringComparison.Ordinal), errors[0]);
    }
}
