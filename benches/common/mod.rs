//! What the benchmarks share (each `#[path]`s this file in): where cargo's target folder is, the
//! release build they drive, and running a child while measuring its time and peak memory.

#![allow(dead_code)]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The target folder cargo builds into: `CARGO_TARGET_DIR` (relative to the manifest), else
/// `target/`.
pub fn target_dir(manifest: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target"));
    if target.is_absolute() {
        target
    } else {
        manifest.join(target)
    }
}

/// `cargo build --release --bin rulebook --example gen_corpus` in `manifest`; whether it succeeded.
pub fn build_release(manifest: &Path) -> bool {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    // What cargo sets for the benchmark it runs is not for the build it starts: a build script
    // that watches one of these (ring watches CARGO_MANIFEST_DIR) would be re-run, and half the
    // dependency tree rebuilt, on every alternation between `cargo bench` and `cargo build`.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("CARGO_PKG_")
            || matches!(
                k.as_ref(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "OUT_DIR"
            )
        {
            build.env_remove(k.as_ref());
        }
    }
    build
        .current_dir(manifest)
        .args([
            "build",
            "--release",
            "--bin",
            "rulebook",
            "--example",
            "gen_corpus",
        ])
        .status()
        .expect("run cargo")
        .success()
}

#[derive(Debug, Clone, Default)]
pub struct Usage {
    pub wall: Duration,
    pub cpu: Duration,
    /// Peak resident set size in bytes, if known.
    pub max_rss: Option<u64>,
    pub code: i32,
}

#[cfg(target_os = "linux")]
mod sys {
    #[repr(C)]
    #[derive(Default)]
    pub struct Timeval {
        pub tv_sec: i64,
        pub tv_usec: i64,
    }
    /// `struct rusage` of 64-bit Linux: two timevals and fourteen longs.
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub ru_utime: Timeval,
        pub ru_stime: Timeval,
        pub ru_maxrss: i64,
        pub rest: [i64; 13],
    }
    unsafe extern "C" {
        pub fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    }
}

/// Wait for `child`, returning (exit code, cpu time, max rss).
#[cfg(target_os = "linux")]
pub fn wait_measured(child: std::process::Child) -> (i32, Duration, Option<u64>) {
    assert!(
        std::mem::size_of::<sys::Rusage>() == 144,
        "unexpected struct rusage layout"
    );
    let pid = child.id() as i32;
    let mut status = 0i32;
    let mut ru = sys::Rusage::default();
    loop {
        // SAFETY: plain FFI call with valid pointers to owned, correctly sized structs.
        let r = unsafe { sys::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            panic!("wait4 failed: {e}");
        }
    }
    std::mem::forget(child); // already reaped
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        128 + (status & 0x7f)
    };
    let tv = |t: &sys::Timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (
        code,
        tv(&ru.ru_utime) + tv(&ru.ru_stime),
        Some(ru.ru_maxrss as u64 * 1024),
    )
}

#[cfg(not(target_os = "linux"))]
pub fn wait_measured(mut child: std::process::Child) -> (i32, Duration, Option<u64>) {
    let s = child.wait().expect("wait");
    (s.code().unwrap_or(-1), Duration::ZERO, None)
}

/// Run a command with stdout and stderr going to files; measure it.
pub fn run_measured(cmd: &mut Command, log_dir: &Path) -> (Usage, String, String) {
    let out_path = log_dir.join("stdout.txt");
    let err_path = log_dir.join("stderr.txt");
    cmd.stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("create stdout log"))
        .stderr(File::create(&err_path).expect("create stderr log"));
    let start = Instant::now();
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let (code, cpu, max_rss) = wait_measured(child);
    let wall = start.elapsed();
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    (
        Usage {
            wall,
            cpu,
            max_rss,
            code,
        },
        stdout,
        stderr,
    )
}
