//! The process itself, hardened before any secret is read.

/// Keep key material out of core dumps: the core-file size limit set to 0 (soft and hard,
/// `RLIMIT_CORE`), and on Linux the process marked not dumpable (`PR_SET_DUMPABLE` 0, which
/// also keeps other processes of the same user from attaching a debugger or reading
/// `/proc/PID/mem`). certkit calls it first thing, before any file or password is read; it
/// holds for the whole run. Returns what could not be set (on a system that does not
/// support it), which the caller may ignore: the run goes on either way.
///
/// On Windows there is no core-file limit to set: a crash dump is written only where Windows
/// Error Reporting's `LocalDumps` has been configured by an administrator, and certkit does
/// not change that (doing so needs `unsafe` calls that the crate forbids; docs/windows.md).
#[cfg(unix)]
pub fn refuse_core_dumps() -> std::result::Result<(), String> {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let mut failed = Vec::new();
    if let Err(e) = setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    ) {
        failed.push(format!("RLIMIT_CORE: {e}"));
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Err(e) =
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
    {
        failed.push(format!("PR_SET_DUMPABLE: {e}"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join(", "))
    }
}

/// Windows: nothing to set (see the Unix version's doc).
#[cfg(not(unix))]
pub fn refuse_core_dumps() -> std::result::Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The dumpable flag is Linux's (prctl): the test compiles there only, as the call does.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn core_dumps_are_refused_limit_and_dumpable_flag() {
        // The test process itself: it then writes no core either, which is harmless.
        refuse_core_dumps().unwrap();
        let core = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((core.current, core.maximum), (Some(0), Some(0)));
        assert_eq!(
            rustix::process::dumpable_behavior().unwrap(),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
