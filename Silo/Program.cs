using OrleansSync.Silo.Hosting;

try
{
    return args.Length > 0 && args[0] == MigrateCommand.Name
        ? await MigrateCommand.RunAsync(args[1..]).ConfigureAwait(false)
        : await SiloHost.RunAsync(args).ConfigureAwait(false);
}
catch (StartupFailure failure)
{
    await Console.Error.WriteLineAsync(failure.Message).ConfigureAwait(false);
    return failure.ExitCode;
}
