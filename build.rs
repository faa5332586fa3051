//! Build script: gives the shared library its soname and generates the public
//! C header from the Rust sources with cbindgen (into `$OUT_DIR`; `make
//! header` copies it to `include/`, and a test fails when that copy is stale).

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnetfilter_conntrack.so.3");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
    link_unwinder_statically();

    let crate_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("libnetfilter_conntrack.h");
    let config = cbindgen::Config::from_file(PathBuf::from(&crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml is valid");
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("the public header can be generated")
        .write_to_file(out);
}

/// Rust's standard library asks for the unwinder with `-lgcc_s`, which would
/// make the `.so` depend on `libgcc_s.so.1`. We keep unwinding (the C entry
/// points turn a panic into an error return), but take the unwinder from
/// GCC's static `libgcc_eh.a`, as `gcc -shared -static-libgcc` does: a
/// directory searched before the system ones holds a `libgcc_s.so` linker
/// script that stands for `-lgcc_eh`. Only the cdylib link sees it; its
/// version script keeps the unwinder's symbols local.
fn link_unwinder_statically() {
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os != "linux" || target_env != "gnu" {
        return;
    }
    let dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("unwinder");
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    std::fs::write(dir.join("libgcc_s.so"), "INPUT(-lgcc_eh)\n").expect("OUT_DIR is writable");
    println!("cargo:rustc-cdylib-link-arg=-L{}", dir.display());
}
