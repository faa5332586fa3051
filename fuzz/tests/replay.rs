//! Replays every seed (`seeds/<target>/`) and every saved crash
//! (`regressions/<target>/`) through its target, without instrumentation:
//! the cheap check that `make test` always runs. Run alone with
//! `cargo test --no-default-features` in `fuzz/`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use netfilter_conntrack_fuzz::{ct_nlmsg, ct_payload, exp_nlmsg, install_panic_hook, take_panic};

/// Runs `target` on every file under `dir/<name>/`, in name order; returns
/// how many ran. Fails listing every file that panicked (in the library or
/// in a check).
fn replay(name: &str, target: fn(&[u8])) -> usize {
    install_panic_hook();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failed = Vec::new();
    let mut ran = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.is_file()) {
            if f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let data = std::fs::read(&f).unwrap();
            let caught = catch_unwind(AssertUnwindSafe(|| target(&data))).is_err();
            if take_panic() || caught {
                failed.push(f.display().to_string());
            }
            ran += 1;
        }
    }
    assert!(
        failed.is_empty(),
        "{name}: {} input(s) failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    ran
}

#[test]
fn replay_ct_nlmsg() {
    assert!(replay("ct_nlmsg", ct_nlmsg) > 0, "no seeds");
}

#[test]
fn replay_ct_payload() {
    assert!(replay("ct_payload", ct_payload) > 0, "no seeds");
}

#[test]
fn replay_exp_nlmsg() {
    assert!(replay("exp_nlmsg", exp_nlmsg) > 0, "no seeds");
}

/// The harness sees a panic even when it is caught (as the library's guard
/// catches every panic at the C boundary).
#[test]
fn caught_panics_are_seen() {
    install_panic_hook();
    assert!(!take_panic());
    let r = std::thread::spawn(|| {
        let _ = catch_unwind(|| panic!("caught on purpose (the harness's self-test)"));
        take_panic()
    })
    .join()
    .unwrap();
    assert!(r, "the panic hook recorded the caught panic");
    assert!(!take_panic(), "only on the thread that panicked");
}
