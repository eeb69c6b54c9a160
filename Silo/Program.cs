using OrleansSync.Silo.Hosting;

try
{
    return args switch
    {
        [MigrateCommand.Name, ..] => await MigrateCommand.RunAsync(args[1..]).ConfigureAwait(false),
        [HealthCheckCommand.Name, ..] => await HealthCheckCommand.RunAsync(args[1..]).ConfigureAwait(false),
        _ => await SiloHost.RunAsync(args).ConfigureAwait(false),
    };
}
catch (StartupFailure failure)
{
    await Console.Error.WriteLineAsync(failure.Message).ConfigureAwait(false);
    return failure.ExitCode;
}
