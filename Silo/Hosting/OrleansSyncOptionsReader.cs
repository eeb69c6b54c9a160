namespace OrleansSync.Silo.Hosting;

/// <summary>Reads <see cref="OrleansSyncOptions"/> from configuration and validates them.</summary>
internal static class OrleansSyncOptionsReader
{
    public static OrleansSyncOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(OrleansSyncOptions.SectionName);
        var options = new OrleansSyncOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the value it could not convert (e.g. Storage=Mysql).
            throw new StartupFailure($"OrleansSync: invalid configuration: {ex.Message}", 2, ex);
        }

        // A single env var such as OrleansSync__ApiKeys=k1,k2 is easier to set than an indexed list.
        var flatKeys = section.GetSection("ApiKeys").Value;
        if (!string.IsNullOrEmpty(flatKeys))
        {
            foreach (var key in flatKeys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                options.ApiKeys.Add(key);
            }
        }

        OrleansSyncOptionsValidator.Validate(options);
        return options;
    }
}
