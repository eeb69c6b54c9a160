namespace OrleansSync.Silo.Hosting;

/// <summary>The platform a silo runs on, for integration beyond storage and clustering.</summary>
internal enum HostingMode
{
    /// <summary>A plain process (the default): nothing platform-specific is turned on.</summary>
    None,

    /// <summary>
    /// A Kubernetes pod: Orleans Kubernetes hosting names the silo after its pod, advertises the pod IP and
    /// declares silos dead when their pods are deleted. Needs the Postgres profile (membership stays there).
    /// </summary>
    Kubernetes,
}
