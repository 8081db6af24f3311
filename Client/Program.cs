using MetaRl.Client;

return await Cli.RunAsync(args);
