namespace OrleansSync.Tests.Infrastructure;

/// <summary>Locates the repository and the built Silo next to this test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration this test assembly was built in (Debug or Release).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    /// <summary>The Silo's build output folder for the same configuration; the project reference guarantees it is built.</summary>
    public static string SiloDirectory => Path.Combine(Root, "Silo", "bin", Configuration, "net10.0");

    public static string SiloAssembly => Path.Combine(SiloDirectory, "OrleansSync.Silo.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"OrleansSync.sln not found above {AppContext.BaseDirectory}.");
    }
}
