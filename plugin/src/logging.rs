//! Routes the plugin's log output (nice-plug's `tracing` macros and the `log` records of the
//! allocation guard) to standard error, where hosts and the test suite can see them.

/// Installs the logger once per process. Returns whether this call installed it.
pub fn install() -> bool {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(true)
        .try_init()
        .is_ok()
}
