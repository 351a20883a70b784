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
    // Shown as the loader read it (line endings unified, control characters out), so that the
    // diagnostic's line and column point at the same character in the box.
    let text = std::fs::read(&full)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map(|t| rulebook::content::text::clean(t).0)
        .unwrap_or_default();
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
    let report = miette::Report::new(diag).with_source_code(NamedSource::new(
        d.path.display().to_string(),
        CharColumns(text),
    ));
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

/// Source text whose location header counts columns in characters, as every diagnostic does
/// (miette counts bytes, so 一、见《 would be column 10 in the box and 4 in the message).
struct CharColumns(String);

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.0.read_span(span, before, after)?;
        if before != 0 || after != 0 {
            return Ok(contents);
        }
        // The header's position: the start of the primary label, read without context lines.
        let offset = span.offset().min(self.0.len());
        let line_start = self.0[..offset].rfind('\n').map_or(0, |i| i + 1);
        let column = self.0[line_start..offset].chars().count();
        Ok(Box::new(miette::MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
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
