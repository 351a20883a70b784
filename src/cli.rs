//! Command-line interface: parses arguments (clap) and reports results and diagnostics.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rulebook::{Diagnostic, Error, Severity, Site};

/// Build an organisation's regulations into a searchable, cross-linked intranet handbook.
#[derive(Parser)]
#[command(name = "rulebook", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the handbook into a folder of static HTML that works from any web server or from disk.
    Build {
        /// The site folder (it holds content/, and optionally templates/ and static/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output folder even if it holds files rulebook did not generate.
        #[arg(long)]
        force: bool,
    },
    /// Check the content (front-matter, numbering, references, procedures) without writing anything.
    /// Exits with 1 if there are errors.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: `human` for people, `json` for tools and editors.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Print a diagnostic the way compilers do, with the source line underneath.
fn report(root: &std::path::Path, d: &Diagnostic) {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    eprintln!("{kind}: {}", d.message);
    eprintln!("  --> {}:{}:{}", d.path.display(), d.line, d.column);
    let full = if d.path.is_absolute() { d.path.clone() } else { root.join(&d.path) };
    if let Some(line) = std::fs::read_to_string(&full).ok().and_then(|t| t.lines().nth(d.line.saturating_sub(1)).map(str::to_string)) {
        eprintln!("   |");
        eprintln!("{:>3}| {}", d.line, line);
        eprintln!("   |");
    }
    if let Some(help) = &d.help {
        eprintln!("  = help: {help}");
    }
    eprintln!();
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { root, format } => {
            let mut site = Site::new(&root);
            let diags = site.check().to_vec();
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            match format {
                Format::Json => {
                    let out = serde_json::json!({"errors": errors, "warnings": warnings, "diagnostics": diags});
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
                Format::Human => {
                    for d in &diags {
                        report(&root, d);
                    }
                    if let Some(lib) = &site.library {
                        println!(
                            "Checked {} documents, {} clauses, {} references: {errors} error(s), {warnings} warning(s)",
                            lib.regulations.len(),
                            lib.clause_count(),
                            lib.references.len()
                        );
                    }
                }
            }
            if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Command::Build { root, out, force } => {
            let mut site = Site::new(&root);
            match site.build(out.as_deref(), force) {
                Ok(r) => {
                    for w in &r.warnings {
                        report(&root, w);
                    }
                    println!(
                        "Built {} documents, {} clauses, {} files ({:.1} KiB) into {} in {:.0} ms ({})",
                        r.documents,
                        r.clauses,
                        r.files,
                        r.bytes as f64 / 1024.0,
                        r.out.display(),
                        r.timings.total().as_secs_f64() * 1e3,
                        r.timings
                    );
                    ExitCode::SUCCESS
                }
                Err(Error::Content(diags)) => {
                    for d in &diags {
                        report(&root, d);
                    }
                    let n = diags.iter().filter(|d| d.is_error()).count();
                    eprintln!("Build failed: {n} error(s). The previous output was left untouched.");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    eprintln!("Build failed. The previous output was left untouched.");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
