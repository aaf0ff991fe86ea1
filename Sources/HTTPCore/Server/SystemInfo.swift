#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the machine, without Foundation.
public enum SystemInfo {
    /// CPUs online (sched_getaffinity is behind _GNU_SOURCE in the Glibc overlay).
    public static var activeProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
