//! The `rulebook` binary: a thin shell over the library (see `cli.rs`).

mod cli;
mod cli_i18n;

// Building allocates many small strings on every core; glibc's allocator spent a quarter of a large
// build in malloc/free (measured with perf on 1,000 regulations). mimalloc is several times cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    cli::run()
}

/// Ask Linux for ordinary 4 KiB pages. A build allocates and frees page-sized buffers on every core;
/// with transparent huge pages each fresh 2 MiB region is zeroed whole and rounds memory up: at
/// 10,000 regulations peak memory fell from about 425 MB to 375 MB with the same CPU time (see the
/// README's benchmark). Best effort: a kernel that refuses changes nothing else.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
