//! Emits an rpath to libtorch so that every binary (tests included) finds `libtorch_cpu.so`
//! without LD_LIBRARY_PATH (cargo overwrites that variable).
fn main() {
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
