//! The `rulebook` binary: a thin shell over the library (see `cli.rs`).

mod cli;

// Building allocates many small strings on every core; glibc's allocator spent a quarter of a large
// build in malloc/free (measured with perf on 1,000 regulations). mimalloc is several times cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
