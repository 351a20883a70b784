//! Command-line interface: parses arguments (clap) and reports results and diagnostics.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rulebook::messages::{Lang, say};
use rulebook::structure::lines::LineIndex;
use rulebook::{Diagnostic, Error, Severity, Site};

/// Build an organisation's regulations into a searchable, cross-linked intranet handbook.
#[derive(Parser)]
#[command(name = "rulebook", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of diagnostics and summaries [default: the site's `language:` in site.yaml, else zh-CN].
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    #[value(name = "zh-CN", alias = "zh")]
    Zh,
    En,
}

/// The language diagnostics and summaries are shown in: `--lang`, or the site's `language:`, or Chinese.
fn language(flag: Option<LangArg>, root: &std::path::Path) -> rulebook::messages::Lang {
    use rulebook::messages::Lang;
    match flag {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => {
            let path = root.join("content/site.yaml");
            std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| rulebook::config::Config::parse(&t, &path).ok())
                .map_or(Lang::Zh, |c| c.lang())
        }
    }
}

/// A progress line for a build on a terminal: the stage under way and the time so far. None when
/// the output is not a terminal (logs, pipes) or under CI (`CI=true`), where it would only add noise.
fn progress_line(human: bool, lang: rulebook::messages::Lang) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if !human || ci || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    let style = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_message(stage_name("load", lang));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// What a build stage is called on the progress line (`stage-load` … in the terminal's table; a
/// stage it does not name is shown by its own name).
fn stage_name(stage: &str, lang: Lang) -> String {
    let key = format!("stage-{stage}");
    if rulebook::messages::TERMINAL.iter().any(|w| w.key == key) {
        say(lang, &key, &[])
    } else {
        format!("{stage}…")
    }
}

/// `diags` in `lang`.
fn localized(diags: &[Diagnostic], lang: rulebook::messages::Lang) -> Vec<Diagnostic> {
    diags
        .iter()
        .cloned()
        .map(|mut d| {
            d.localize(lang);
            d
        })
        .collect()
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
        /// Fail on warnings too (as `strict: true` in site.yaml does).
        #[arg(long)]
        deny_warnings: bool,
        /// Show every diagnostic in full instead of a summary grouped by kind.
        #[arg(long, short)]
        verbose: bool,
        /// `json` prints the summary (documents, clauses, files, bytes, stage times) as JSON.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// How to read source files that are not UTF-8: `utf-8` names the encoding they look like
        /// and stops; `gb18030` reads them as GB18030/GBK (as WPS and older Word save Chinese).
        #[arg(long, value_enum, default_value_t = SourceEncoding::Utf8)]
        encoding: SourceEncoding,
        /// Build the handbook as it stood on this day (2024-01-01 or 2024年1月1日), from the git
        /// history of the folder holding content/: the newest commit made on or before it.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<jiff::civil::Date>,
    },
    /// Check the content (front-matter, numbering, references, procedures) without writing anything.
    /// Exits with 1 if there are errors.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: `human` for people, `json` for tools and editors (every diagnostic).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too (as `strict: true` in site.yaml does).
        #[arg(long)]
        deny_warnings: bool,
        /// Show every diagnostic in full instead of a summary grouped by kind.
        #[arg(long, short)]
        verbose: bool,
        /// Also list the duties found for each role, marking those found by a plain word (主任)
        /// the regulation does not declare: detections to review.
        #[arg(long)]
        roles: bool,
        /// How to read source files that are not UTF-8: `utf-8` names the encoding they look like
        /// and stops; `gb18030` reads them as GB18030/GBK (as WPS and older Word save Chinese).
        #[arg(long, value_enum, default_value_t = SourceEncoding::Utf8)]
        encoding: SourceEncoding,
    },
    /// Print the bound rulebook as a PDF (A4, for the print shop): cover, contents with page numbers,
    /// each regulation on a new page (a right-hand one with `binding: duplex`), risk registers on
    /// landscape pages, procedures as checklists.
    #[cfg(feature = "pdf")]
    Pdf {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The PDF to write [default: <root>/public/rulebook.pdf, or <CATEGORY>.pdf].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print one volume: the category with this id (its subcategories included).
        #[arg(long, value_name = "CATEGORY")]
        volume: Option<String>,
        /// Replace the file at --out even if rulebook did not write it (never a source of the site).
        #[arg(long)]
        force: bool,
        /// Print every regulation as a PDF of its own, <id>.pdf, into the folder --out (default
        /// <root>/pdf/), each file written as --out writes one.
        #[arg(long)]
        each: bool,
    },
    /// Preview while editing: build into memory, serve on this machine, rebuild when a file under
    /// content/, templates/ or static/ changes, and reload open pages. A failed build
    /// keeps the last good pages and shows its errors over them. Writes nothing to disk.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port [0: any free port].
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Only this machine can reach the default; give 0.0.0.0 to let
        /// the network see your preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// How to read source files that are not UTF-8, as for `build`.
        #[arg(long, value_enum, default_value_t = SourceEncoding::Utf8)]
        encoding: SourceEncoding,
    },
    /// Start a new regulation: writes content/<CATEGORY>/<NAME>.md with its front-matter (title,
    /// the organisation from site.yaml as issuer, today as issued) and `draft: true`, so it is not
    /// published until you delete that line. Never overwrites a file.
    New {
        /// `category/name`, e.g. `caiwu-zichan/chailv-guanli`.
        path: String,
        /// The regulation's title [default: its name].
        #[arg(long)]
        title: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SourceEncoding {
    #[value(name = "utf-8")]
    Utf8,
    Gb18030,
}

impl From<SourceEncoding> for rulebook::content::text::Encoding {
    fn from(e: SourceEncoding) -> Self {
        match e {
            SourceEncoding::Utf8 => rulebook::content::text::Encoding::Utf8,
            SourceEncoding::Gb18030 => rulebook::content::text::Encoding::Gb18030,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Source files read for showing diagnostics, each read once however many diagnostics it has.
#[derive(Default)]
struct Sources {
    files: std::collections::HashMap<PathBuf, Option<(String, LineIndex)>>,
}

impl Sources {
    /// Lines `line - 1 ..= line + 1` of the file (as the loader read it: line endings unified,
    /// control characters out), and the 1-based number of the first of them.
    fn snippet(
        &mut self,
        root: &std::path::Path,
        full: &std::path::Path,
        line: usize,
    ) -> Option<(String, usize)> {
        let (text, index) = self
            .files
            .entry(full.to_path_buf())
            .or_insert_with(|| {
                // Only a regular file inside the site, links resolved: a link to /etc/passwd
                // shows nothing of it, and a FIFO is never opened (it would block).
                let real = full.canonicalize().ok()?;
                let site = root.canonicalize().ok()?;
                if !real.starts_with(&site) || !std::fs::metadata(&real).ok()?.is_file() {
                    return None;
                }
                let text = std::fs::read(&real)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .map(|t| rulebook::content::text::clean(t).0)?;
                let index = LineIndex::new(&text);
                Some((text, index))
            })
            .as_ref()?;
        let first = line.saturating_sub(1).max(1);
        let start = index.start(first)?;
        let end = index.start(line + 2).unwrap_or(text.len());
        Some((text[start..end].to_string(), first))
    }
}

/// Print a diagnostic with miette: `file:line:column`, the source line with the spot marked, and
/// the help.
fn report(root: &std::path::Path, d: &Diagnostic, sources: &mut Sources, lang: Lang) {
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    };
    let full = if d.path.is_absolute() {
        d.path.clone()
    } else {
        root.join(&d.path)
    };
    let (text, first_line) = sources
        .snippet(root, &full, d.line)
        .unwrap_or((String::new(), 1));
    // The code first (`[RB004] …`): what the README lists, and what to search a log for.
    let message = match d.code {
        Some(c) => format!("[{c}] {}", d.message),
        None => d.message.clone(),
    };
    let mut diag = MietteDiagnostic::new(message.clone()).with_severity(match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    });
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    let offset = byte_offset(&text, d.line + 1 - first_line.min(d.line), d.column);
    let len = text[offset.min(text.len())..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    diag = diag.with_label(LabeledSpan::at(
        offset..offset + len,
        say(lang, "here", &[]),
    ));
    let shown = rulebook::messages::printable(&d.path.display().to_string());
    let report = miette::Report::new(diag).with_source_code(NamedSource::new(
        shown.clone(),
        Snippet {
            text,
            first_line: first_line - 1,
        },
    ));
    // Plain Unicode without colours: the output goes to terminals, logs and editor panes alike.
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() || d.line == 0 {
        out = d.to_string();
    }
    // miette labels the advice `help:` in every language; Chinese readers get 提示：.
    if lang == Lang::Zh {
        out = out.replacen(
            "\n  help: ",
            &format!("\n  {}：", say(lang, "help", &[])),
            1,
        );
    }
    // miette shows `[file:line:col]`; editors and tests look for the plain `file:line:col` too.
    eprintln!("{shown}:{}:{}: {message}", d.line, d.column,);
    eprintln!("{out}");
}

/// A few lines of a source file, shown with their real line numbers, and a location header that
/// counts columns in characters as every diagnostic does (miette counts bytes, so 一、见《 would be
/// column 10 in the box and 4 in the message).
struct Snippet {
    text: String,
    /// 0-based line number of the snippet's first line in the file.
    first_line: usize,
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.text.read_span(span, before, after)?;
        let column = if before == 0 && after == 0 {
            // The header's position: the start of the primary label, read without context lines.
            let offset = span.offset().min(self.text.len());
            let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            self.text[line_start..offset].chars().count()
        } else {
            contents.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
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

/// How many kinds of problem are shown with their source; further kinds get one line each, up to
/// [`SUMMARY_KINDS`], so that 50,000 warnings print a screenful.
const FULL_KINDS: usize = 8;
const SUMMARY_KINDS: usize = 30;
/// Locations listed for the rest of a kind.
const MORE_LOCATIONS: usize = 3;

/// Print diagnostics grouped: identical ones (same severity and kind, or same message) together,
/// errors first; the first of each group in full, then how many more and where the first few are.
fn report_grouped(root: &std::path::Path, diags: &[Diagnostic], verbose: bool, lang: Lang) {
    let mut sources = Sources::default();
    if verbose {
        for d in diags {
            report(root, d, &mut sources, lang);
        }
        return;
    }
    let mut groups: Vec<(&Diagnostic, Vec<&Diagnostic>)> = Vec::new();
    let mut by_key: std::collections::HashMap<(Severity, &str, &str), usize> = Default::default();
    for d in diags {
        // One group per kind; a kind about a named key (an unknown front-matter key) is one group
        // per key, each shown in full.
        let named = d.arg("key").unwrap_or("");
        let key = (d.severity, d.code.unwrap_or(d.message.as_str()), named);
        match by_key.get(&key) {
            Some(&i) => groups[i].1.push(d),
            None => {
                by_key.insert(key, groups.len());
                groups.push((d, Vec::new()));
            }
        }
    }
    // Errors first; otherwise in the order found (file order).
    groups.sort_by_key(|(d, _)| std::cmp::Reverse(d.severity));
    let loc = |d: &Diagnostic| {
        let shown = rulebook::messages::printable(&d.path.display().to_string());
        format!("{shown}:{}:{}", d.line, d.column)
    };
    for (i, (first, rest)) in groups.iter().enumerate() {
        if i == SUMMARY_KINDS {
            let hidden: usize = groups[i..].iter().map(|(_, r)| r.len() + 1).sum();
            eprintln!(
                "{}",
                say(
                    lang,
                    "more-kinds",
                    &[
                        ("kinds", (groups.len() - i).to_string()),
                        ("count", hidden.to_string())
                    ]
                )
            );
            break;
        }
        if i < FULL_KINDS {
            report(root, first, &mut sources, lang);
        } else {
            eprintln!("{first}");
        }
        if !rest.is_empty() {
            let shown: Vec<String> = rest
                .iter()
                .take(MORE_LOCATIONS)
                .map(|d| {
                    if first.code.is_some() {
                        format!("{} {}", loc(d), d.message)
                    } else {
                        loc(d)
                    }
                })
                .collect();
            let tail = if rest.len() > MORE_LOCATIONS {
                ", …"
            } else {
                ""
            };
            eprintln!(
                "{}",
                say(
                    lang,
                    "more-like-this",
                    &[
                        ("count", rest.len().to_string()),
                        (
                            "code",
                            first.code.map(|c| format!(" [{c}]")).unwrap_or_default()
                        ),
                        ("places", format!("{}{tail}", shown.join("; "))),
                    ]
                )
            );
        }
    }
}

pub fn run() -> ExitCode {
    // The arguments read, and `--help` and their errors said, in the site's language.
    let cli = crate::cli_i18n::parse();
    let flag = cli.lang;
    match cli.command {
        Command::Serve {
            root,
            port,
            bind,
            encoding,
        } => {
            let lang = language(flag, &root);
            let server = match rulebook::serve::Server::start(rulebook::serve::Options {
                root: root.clone(),
                addr: std::net::SocketAddr::new(bind, port),
                encoding: encoding.into(),
            }) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!(
                        "{}: {}",
                        say(lang, "error", &[]),
                        serve_error(&e, &root, lang)
                    );
                    return ExitCode::FAILURE;
                }
            };
            if !bind.is_loopback() {
                eprintln!(
                    "{}",
                    say(
                        lang,
                        "serve-exposed",
                        &[("addr", server.addr().to_string())]
                    )
                );
            }
            println!(
                "{}",
                say(
                    lang,
                    "serving",
                    &[
                        ("addr", server.addr().to_string()),
                        ("root", root.display().to_string())
                    ]
                )
            );
            let shown = root.clone();
            let first = std::sync::atomic::AtomicBool::new(true);
            server.on_build(move |u| {
                let ms = format!("{:.0}", u.took.as_secs_f64() * 1e3);
                report_grouped(&shown, &localized(&u.diagnostics, lang), false, lang);
                if u.failed {
                    eprintln!("{}", say(lang, "serve-failed", &[("ms", ms)]));
                } else if first.swap(false, std::sync::atomic::Ordering::Relaxed) {
                    println!("{}", say(lang, "serve-built", &[("ms", ms)]));
                } else if !u.quick.is_empty() {
                    println!(
                        "{}",
                        say(
                            lang,
                            "serve-quick",
                            &[("ids", u.quick.join(", ")), ("ms", ms)]
                        )
                    );
                } else {
                    let pages = u
                        .changed
                        .as_ref()
                        .map_or_else(|| "*".to_string(), |c| c.len().to_string());
                    println!(
                        "{}",
                        say(lang, "serve-rebuilt", &[("ms", ms), ("pages", pages)])
                    );
                }
            });
            server.wait();
            ExitCode::SUCCESS
        }
        Command::New { path, title, root } => {
            let today = rulebook::site::build_day().to_string();
            let new = rulebook::content::scaffold::NewRegulation {
                path: &path,
                title: title.as_deref(),
                today: &today,
            };
            let lang = language(flag, &root);
            match rulebook::content::scaffold::create(&root, &new) {
                Ok(file) => {
                    println!(
                        "{}",
                        say(lang, "created", &[("file", file.display().to_string())])
                    );
                    ExitCode::SUCCESS
                }
                Err(Error::Content(diags)) => {
                    for d in &localized(&diags, lang) {
                        eprintln!("{}: {}", say(lang, "error", &[]), d.message);
                        if let Some(h) = &d.help {
                            eprintln!("  {}: {h}", say(lang, "help", &[]));
                        }
                    }
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!(
                        "{}: {}",
                        say(lang, "error", &[]),
                        crate::cli_i18n::error_text(&e, lang)
                    );
                    ExitCode::FAILURE
                }
            }
        }
        #[cfg(feature = "pdf")]
        Command::Pdf {
            root,
            out,
            volume,
            force,
            each,
        } => {
            let started = std::time::Instant::now();
            let mut site = Site::new(&root);
            let protected = rulebook::output::target::Protected::system();
            let (volume, out) = (volume.as_deref(), out.as_deref());
            let result = if each {
                rulebook::pdf::write_each_with(&mut site, volume, out, force, &protected)
            } else {
                rulebook::pdf::write_with(&mut site, volume, out, force, &protected)
            };
            let lang = language(flag, &root);
            match result {
                Ok(r) => {
                    report_grouped(&root, &localized(&site.diagnostics, lang), false, lang);
                    println!(
                        "{}",
                        say(
                            lang,
                            "printed",
                            &[
                                ("documents", r.documents.to_string()),
                                ("out", r.out.display().to_string()),
                                ("kib", format!("{:.1}", r.bytes as f64 / 1024.0)),
                                ("s", format!("{:.1}", started.elapsed().as_secs_f64())),
                            ]
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(Error::Content(diags)) => {
                    report_grouped(&root, &localized(&diags, lang), false, lang);
                    eprintln!("{}", say(lang, "print-failed", &[]));
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!(
                        "{}: {}",
                        say(lang, "error", &[]),
                        crate::cli_i18n::error_text(&e, lang)
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            root,
            format,
            deny_warnings,
            verbose,
            roles,
            encoding,
        } => {
            let mut site = Site::new(&root);
            site.deny_warnings = deny_warnings;
            site.encoding = encoding.into();
            let lang = language(flag, &root);
            let diags = localized(site.check(), lang);
            if roles && let Some(lib) = &site.library {
                print!("{}", crate::cli_i18n::roles_report(lib, lang));
            }
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            match format {
                Format::Json => {
                    let out = serde_json::json!({"errors": errors, "warnings": warnings, "diagnostics": diags});
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
                Format::Human => {
                    report_grouped(&root, &diags, verbose, lang);
                    if let Some(lib) = &site.library {
                        println!(
                            "{}",
                            say(
                                lang,
                                "checked",
                                &[
                                    ("documents", lib.regulations.len().to_string()),
                                    ("clauses", lib.clause_count().to_string()),
                                    ("references", lib.references.len().to_string()),
                                    ("errors", errors.to_string()),
                                    ("warnings", warnings.to_string()),
                                ]
                            )
                        );
                    }
                }
            }
            if site.failed() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Build {
            root,
            out,
            force,
            deny_warnings,
            verbose,
            format,
            encoding,
            as_of,
        } => {
            let mut site = Site::new(&root);
            site.deny_warnings = deny_warnings;
            site.encoding = encoding.into();
            site.as_of = as_of;
            // Read once: the progress line and the messages speak it.
            let lang = language(flag, &root);
            let progress = progress_line(matches!(format, Format::Human), lang);
            if let Some(bar) = &progress {
                let bar = bar.clone();
                site.timings.1 = Some(rulebook::site::StageHook(std::sync::Arc::new(
                    move |stage: &str| bar.set_message(stage_name(stage, lang)),
                )));
            }
            let result = site.build(out.as_deref(), force);
            if let Some(bar) = progress {
                bar.finish_and_clear();
            }
            site.release_snapshot();
            // The process ends here: freeing the model piece by piece (millions of strings at
            // 10,000 regulations) would only delay the exit.
            std::mem::forget(site);
            match result {
                Ok(r) if matches!(format, Format::Json) => {
                    let stages: serde_json::Map<String, serde_json::Value> = r
                        .timings
                        .0
                        .iter()
                        .map(|(s, d)| (s.to_string(), serde_json::json!(d.as_secs_f64() * 1e3)))
                        .collect();
                    let summary = serde_json::json!({
                        "documents": r.documents, "clauses": r.clauses, "files": r.files,
                        "bytes": r.bytes, "out": r.out, "warnings": r.warnings.len(),
                        "total_ms": r.timings.total().as_secs_f64() * 1e3, "stages_ms": stages,
                        "diagnostics": localized(&r.warnings, lang),
                    });
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&summary).unwrap_or_default()
                    );
                    ExitCode::SUCCESS
                }
                Ok(r) => {
                    report_grouped(&root, &localized(&r.warnings, lang), verbose, lang);
                    println!(
                        "{}",
                        say(
                            lang,
                            "built",
                            &[
                                ("documents", r.documents.to_string()),
                                ("clauses", r.clauses.to_string()),
                                ("files", r.files.to_string()),
                                ("kib", format!("{:.1}", r.bytes as f64 / 1024.0)),
                                ("out", r.out.display().to_string()),
                                (
                                    "ms",
                                    format!("{:.0}", r.timings.total().as_secs_f64() * 1e3)
                                ),
                                ("stages", r.timings.to_string()),
                            ]
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(Error::Content(diags)) if matches!(format, Format::Json) => {
                    // Tools read JSON whatever happened: the diagnostics that stopped the build.
                    let n = diags.iter().filter(|d| d.is_error()).count();
                    let out = serde_json::json!({
                        "failed": true, "errors": n, "warnings": diags.len() - n,
                        "diagnostics": localized(&diags, lang),
                    });
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                    ExitCode::FAILURE
                }
                Err(e) if matches!(format, Format::Json) => {
                    let out = serde_json::json!({
                        "failed": true, "errors": 1, "warnings": 0, "diagnostics": [],
                        "error": format!(
                            "{}: {}",
                            say(lang, "error", &[]),
                            crate::cli_i18n::error_text(&e, lang)
                        ),
                    });
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                    ExitCode::FAILURE
                }
                Err(Error::Content(diags)) => {
                    report_grouped(&root, &localized(&diags, lang), verbose, lang);
                    let n = diags.iter().filter(|d| d.is_error()).count();
                    let w = diags.len() - n;
                    if n == 0 {
                        eprintln!(
                            "{}",
                            say(
                                lang,
                                "build-failed-warnings",
                                &[("warnings", w.to_string())]
                            )
                        );
                    } else {
                        eprintln!(
                            "{}",
                            say(lang, "build-failed-errors", &[("errors", n.to_string())])
                        );
                    }
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!(
                        "{}: {}",
                        say(lang, "error", &[]),
                        crate::cli_i18n::error_text(&e, lang)
                    );
                    eprintln!("{}", say(lang, "build-failed", &[]));
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Why the preview server did not start, in `lang`.
fn serve_error(e: &Error, root: &std::path::Path, lang: Lang) -> String {
    use std::io::ErrorKind;
    match e {
        Error::Bind { addr, source } => {
            let addr = ("addr", addr.to_string());
            match source.kind() {
                ErrorKind::AddrInUse => say(lang, "serve-addr-in-use", &[addr]),
                ErrorKind::AddrNotAvailable => say(lang, "serve-addr-unavailable", &[addr]),
                ErrorKind::PermissionDenied => say(lang, "serve-addr-denied", &[addr]),
                _ => say(
                    lang,
                    "serve-cannot-listen",
                    &[
                        addr,
                        (
                            "code",
                            source
                                .raw_os_error()
                                .map_or_else(|| format!("{:?}", source.kind()), |c| c.to_string()),
                        ),
                    ],
                ),
            }
        }
        Error::Read { .. } => say(
            lang,
            "serve-no-root",
            &[("root", root.display().to_string())],
        ),
        e => crate::cli_i18n::error_text(e, lang),
    }
}

/// A day as `--as-of` takes it; what is not one is said in the site's language
/// (src/cli_i18n.rs, `cli_err_not_a_date`).
fn parse_day(s: &str) -> std::result::Result<jiff::civil::Date, String> {
    rulebook::model::lifecycle::parse_date(s).ok_or_else(String::new)
}
