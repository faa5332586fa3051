//! Helpers of the Rust API's kernel tests: a private network namespace per
//! test thread, its sysctls, and commands run inside it.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

/// Moves the calling thread into a fresh network namespace, or panics: a
/// kernel test never runs in the host's namespace. (`unshare(CLONE_NEWNET)`
/// acts on the calling thread only, and libtest runs each test on its own
/// thread; commands this thread starts inherit the namespace.)
pub fn private_netns() {
    // SAFETY: unshare() takes no pointers; it changes only this thread's
    // namespaces.
    let r = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(
        r,
        0,
        "unshare(CLONE_NEWNET) failed ({}): kernel tests need root and never run in the host namespace",
        std::io::Error::last_os_error()
    );
}

/// Writes a sysctl of this thread's network namespace.
pub fn sysctl(path: &str, value: &str) {
    std::fs::write(format!("/proc/sys/{path}"), value)
        .unwrap_or_else(|e| panic!("sysctl {path}: {e}"));
}

/// Runs `argv` in this thread's namespace with `stdin`, and returns its
/// standard output; panics unless it succeeds.
pub fn run(argv: &[&str], stdin: &str) -> String {
    let mut child = Command::new(argv[0])
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{argv:?}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{argv:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Brings loopback up and loads an nft ruleset that makes the kernel track
/// loopback traffic and give entries label storage.
pub fn track_loopback() {
    run(&["ip", "link", "set", "lo", "up"], "");
    run(
        &["nft", "-f", "-"],
        "table inet t {\n\
           chain c {\n\
             type filter hook output priority 0;\n\
             ct state new counter\n\
             ct mark 0x7fffffff ct label set 127\n\
           }\n\
         }\n",
    );
}
