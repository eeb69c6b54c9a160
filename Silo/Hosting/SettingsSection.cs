using System.Reflection;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// Binds an options section once at start-up so a bad value stops the silo with one line naming its key, instead of
/// failing the first call that happens to read the options (the options setters throw on values out of range).
/// </summary>
internal static class SettingsSection
{
    /// <summary>Binds <c>OrleansSync:<paramref name="name"/></c> into a new <typeparamref name="TOptions"/>.</summary>
    /// <exception cref="StartupFailure">A value of the section does not parse or is out of range (exit code 2).</exception>
    public static TOptions Check<TOptions>(IConfiguration configuration, string name)
        where TOptions : class, new()
    {
        var path = $"{OrleansSyncOptions.SectionName}:{name}";
        var section = configuration.GetSection(path);
        try
        {
            var options = new TOptions();
            section.Bind(options);
            return options;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TargetInvocationException or ArgumentException)
        {
            var key = FindBadKey<TOptions>(section) ?? path;
            throw new StartupFailure($"{key}: {Reason(ex)}; refusing to start.", 2, ex);
        }
    }

    /// <summary>The first key of the section that fails to bind on its own.</summary>
    private static string? FindBadKey<TOptions>(IConfigurationSection section)
        where TOptions : class, new()
    {
        foreach (var child in section.GetChildren())
        {
            try
            {
                new ConfigurationBuilder()
                    .AddInMemoryCollection([new KeyValuePair<string, string?>(child.Key, child.Value)])
                    .Build()
                    .Bind(new TOptions());
            }
            catch (Exception ex) when (ex is InvalidOperationException or TargetInvocationException or ArgumentException)
            {
                return child.Path;
            }
        }

        return null;
    }

    /// <summary>The innermost message: the setter's range check, or the binder's conversion failure.</summary>
    private static string Reason(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Split(Environment.NewLine, 2)[0].Split(" (Parameter", 2)[0].TrimEnd('.');
    }
}
