//! Links the plug-in so that it is never unloaded once a host has loaded it. Rust's standard
//! library in the plug-in registers a destructor for each thread that calls into it; a host that
//! unloads the library (its last instance removed, a plug-in scan done) and later ends such a
//! thread would run that destructor from unmapped memory and crash.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "freebsd" | "netbsd" | "openbsd" | "dragonfly") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}
