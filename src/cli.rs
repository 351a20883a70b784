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
        /// Build into the output folder even if it holds files rulebook did not generate; they are
        /// kept (rulebook only ever replaces or deletes files it wrote itself).
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

/// Print a diagnostic with miette: `file:line:column`, the source line with the spot marked, and
/// the help.
fn report(root: &std::path::Path, d: &Diagnostic) {
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    };
    let full = if d.path.is_absolute() {
        d.path.clone()
    } else {
        root.join(&d.path)
    };
    let text = std::fs::read_to_string(&full).unwrap_or_default();
    let mut diag = MietteDiagnostic::new(d.message.clone()).with_severity(match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    });
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    let offset = byte_offset(&text, d.line, d.column);
    let len = text[offset.min(text.len())..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    diag = diag.with_label(LabeledSpan::at(offset..offset + len, "here"));
    let report = miette::Report::new(diag)
        .with_source_code(NamedSource::new(d.path.display().to_string(), text));
    // Plain Unicode without colours: the output goes to terminals, logs and editor panes alike.
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() || d.line == 0 {
        out = d.to_string();
    }
    // miette shows `[file:line:col]`; editors and tests look for the plain `file:line:col` too.
    eprintln!(
        "{}:{}:{}: {}",
        d.path.display(),
        d.line,
        d.column,
        d.message
    );
    eprintln!("{out}");
}

/// Byte offset of a 1-based line and (character) column in `text`.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
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
            if errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
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
                    eprintln!(
                        "Build failed: {n} error(s). The previous output was left untouched."
                    );
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
