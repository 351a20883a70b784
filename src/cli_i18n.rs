//! The command line's own words in the site's language (issue 24, item 7): `--help` of every
//! command, the errors of a command line that cannot be read (`--as-of` with no date, an unknown
//! option …) and `check --roles`. Every word comes from the interface catalogue
//! (`themes/default/i18n/*.yaml`, keys `cli_…`), in the language of the site the command names
//! (`--root`, default `.`), else the terminal's `LANG`; `--lang` decides when given.
//!
//! clap's derive gives the arguments; their texts, value names and headings are replaced here, and
//! clap's English defaults (`[default: …]`, `Usage:`, `Print help`) are hidden or replaced.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, FromArgMatches};
use rulebook::messages::Lang;

use crate::cli::Cli;

/// The interface strings of one language.
pub struct Words(BTreeMap<String, String>);

impl Words {
    pub fn new(lang: Lang) -> Words {
        Words(rulebook::i18n::builtin(match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }))
    }

    /// The string `key`, its `{name}`s filled in.
    pub fn get(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.0.get(key).cloned().unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }
}

/// The value of `--name X` or `--name=X` in the raw arguments.
fn raw_value(args: &[OsString], name: &str) -> Option<String> {
    let flag = format!("--{name}");
    let mut it = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = it.next() {
        if a == flag {
            return it.next();
        }
        if let Some(v) = a.strip_prefix(&format!("{flag}=")) {
            return Some(v.to_string());
        }
    }
    None
}

/// The language the command line speaks before its arguments are read: `--lang`, else the
/// `language:` of the site at `--root` (default `.`), else the terminal's `LANG` (`LC_ALL`,
/// `LC_MESSAGES` first, as the C library reads them), else Chinese.
pub fn language(args: &[OsString]) -> Lang {
    match raw_value(args, "lang").as_deref() {
        Some("en") => return Lang::En,
        Some("zh" | "zh-CN") => return Lang::Zh,
        _ => {}
    }
    let root = PathBuf::from(raw_value(args, "root").unwrap_or_else(|| ".".into()));
    let path = root.join("content/site.yaml");
    if let Some(c) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| rulebook::config::Config::parse(&t, &path).ok())
    {
        return c.lang();
    }
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    match env {
        Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        Some(v) if v.to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// `cmd` (a subcommand named `sub`, or the program with `None`) with every text from `words`.
fn localize(mut cmd: clap::Command, sub: Option<&str>, words: &Words) -> clap::Command {
    let usage_args = match sub {
        None => format!("[--lang zh-CN|en] <{}>", words.get("cli_command", &[])),
        Some("new") => format!(
            "<{}> [{}]",
            words.get("cli_value_path", &[]),
            words.get("cli_options", &[])
        ),
        Some(_) => format!("[{}]", words.get("cli_options", &[])),
    };
    let name = sub.map_or("rulebook".to_string(), |s| format!("rulebook {s}"));
    cmd = cmd
        .about(
            words.get(
                sub.map_or("cli_about".into(), |s| format!("cli_{s}"))
                    .as_str(),
                &[],
            ),
        )
        .long_about(None)
        .override_usage(format!("{name} {usage_args}"))
        .help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            words.get("cli_usage", &[])
        ))
        .subcommand_help_heading(words.get("cli_commands", &[]))
        .next_help_heading(words.get("cli_options", &[]))
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(words.get("cli_help", &[])),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        // A text of this command's own (`cli_build_out`), else the one every command shares.
        let own = sub.map(|s| format!("cli_{s}_{id}"));
        let key = match own {
            Some(k) if words.has(&k) => k,
            _ if id == "lang" => "cli_lang".to_string(),
            _ => format!("cli_arg_{id}"),
        };
        let value = format!("cli_value_{id}");
        let heading = if id == "path" {
            words.get("cli_arguments", &[])
        } else {
            words.get("cli_options", &[])
        };
        cmd = cmd.mut_arg(&id, |a| {
            let a = a
                .help(words.get(&key, &[]))
                .long_help(None)
                .help_heading(heading);
            // clap's `[default: …]` and `[possible values: …]` are English: the texts say them.
            let a = if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            };
            if words.has(&value) {
                a.value_name(words.get(&value, &[]))
            } else {
                a
            }
        });
    }
    if sub.is_none() {
        cmd = cmd
            .disable_help_subcommand(true)
            .disable_version_flag(true)
            .arg(
                clap::Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help(words.get("cli_version", &[])),
            );
        let subs: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for s in subs {
            cmd = cmd.mut_subcommand(&s, |c| localize(c, Some(&s), words));
        }
    }
    cmd
}

/// The program's command line, in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    localize(Cli::command(), None, &Words::new(lang))
}

/// The arguments of this process, read; a command line that cannot be read ends the process with
/// the reason in `lang` (help and version are printed as asked).
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = language(&args);
    let words = Words::new(lang);
    let result = command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => cli,
        Err(e) => {
            match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                }
                _ => {
                    eprintln!(
                        "{}: {}",
                        rulebook::messages::say(lang, "error", &[]),
                        argument_error(&e, &words)
                    );
                    eprintln!("{}", words.get("cli_more_help", &[]));
                }
            }
            std::process::exit(e.exit_code());
        }
    }
}

/// A context value of a clap error as text.
fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Why a command line cannot be read, from the catalogue.
fn argument_error(e: &clap::Error, words: &Words) -> String {
    let arg = context(e, ContextKind::InvalidArg);
    // `--as-of <日期>` names the option, without its value's name.
    let option = arg.split([' ', '=']).next().unwrap_or_default().to_string();
    let value = context(e, ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::ValueValidation if option == "--as-of" => {
            words.get("cli_err_not_a_date", &[("value", &value)])
        }
        ErrorKind::ValueValidation => {
            words.get("cli_err_bad_value", &[("value", &value), ("arg", &option)])
        }
        ErrorKind::InvalidValue => words.get(
            "cli_err_invalid_value",
            &[
                ("value", &value),
                ("arg", &option),
                ("valid", &context(e, ContextKind::ValidValue)),
            ],
        ),
        ErrorKind::UnknownArgument => words.get("cli_err_unknown_argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => words.get(
            "cli_err_unknown_command",
            &[("command", &context(e, ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => {
            words.get("cli_err_missing", &[("arg", &arg)])
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            words.get("cli_err_too_many", &[("value", &value)])
        }
        _ => words.get("cli_err_other", &[]),
    }
}

/// The duties of every role, one line each (`path:line  place  kind  how found`), the detections
/// by a plain word the regulation does not declare marked for review: what an editor reads through
/// to confirm or correct with the `roles:` front-matter. Information, not warnings: the seed's own
/// 主任 are right, and a build must stay free of warnings.
pub fn roles_report(lib: &rulebook::model::Library, lang: Lang) -> String {
    use rulebook::model::Detection;
    use std::fmt::Write as _;
    let words = Words::new(lang);
    let mut out = String::new();
    let mut review = 0;
    for (i, role) in lib.roles.iter().enumerate() {
        let duties: Vec<_> = lib.duties_of(i).collect();
        let count = duties.len().to_string();
        let _ = writeln!(
            out,
            "{}",
            words.get(
                "cli_roles_role",
                &[("name", &role.name), ("id", &role.id), ("count", &count)]
            )
        );
        for d in duties {
            let reg = &lib.regulations[d.regulation];
            let path = lib.duty_source(d);
            let (place, _) = rulebook::render::links::duty_place(lib, d);
            let how = match &d.detection {
                Detection::Named { word } => words.get("cli_roles_named", &[("word", word)]),
                Detection::Plain {
                    word,
                    declared: true,
                } => words.get("cli_roles_declared", &[("word", word)]),
                Detection::Plain {
                    word,
                    declared: false,
                } => {
                    review += 1;
                    words.get("cli_roles_review", &[("word", word)])
                }
                Detection::Assigned => words.get("cli_roles_assigned", &[]),
                Detection::StepRole => words.get("cli_roles_step", &[]),
            };
            let _ = writeln!(
                out,
                "  {}:{}  {}{}{}{place}  {}  {how}",
                path.display(),
                d.line,
                words.get("title_open", &[]),
                reg.title,
                words.get("title_close", &[]),
                words.get(d.kind.key(), &[])
            );
        }
    }
    // The duties whose actor is uncertain: not published until the front-matter confirms
    // (`sec1: [role]`) or rejects (`sec1: [-role]`) them.
    let pending = lib.pending.len().to_string();
    if !lib.pending.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            words.get("cli_roles_pending", &[("count", &pending)])
        );
    }
    for d in &lib.pending {
        let reg = &lib.regulations[d.regulation];
        let path = lib.duty_source(d);
        let (place, _) = rulebook::render::links::duty_place(lib, d);
        let word = match &d.detection {
            Detection::Named { word } | Detection::Plain { word, .. } => word.as_str(),
            _ => "",
        };
        let _ = writeln!(
            out,
            "  {}  {}:{}  {}{}{}{place}  {}  “{word}”  {}",
            words.get("cli_roles_pending_mark", &[]),
            path.display(),
            d.line,
            words.get("title_open", &[]),
            reg.title,
            words.get("title_close", &[]),
            lib.roles[d.role].name,
            d.excerpt
        );
    }
    let _ = writeln!(
        out,
        "{}",
        words.get(
            "cli_roles_total",
            &[
                ("duties", &lib.duties.len().to_string()),
                ("roles", &lib.roles.len().to_string()),
                ("review", &review.to_string()),
                ("pending", &pending),
            ]
        )
    );
    out
}

/// What stopped a command that is not a diagnostic of the content (an output folder refused, a
/// file that cannot be read or written, the PDF not typeset), in `lang`: a Chinese line names the
/// system's reason in Chinese and never carries a library's English words.
pub fn error_text(e: &rulebook::Error, lang: Lang) -> String {
    use rulebook::Error;
    let words = Words::new(lang);
    let zh = lang == Lang::Zh;
    let io = |source: &std::io::Error| {
        if zh {
            rulebook::messages::io_reason_zh(source)
        } else {
            source.to_string()
        }
    };
    match e {
        Error::UnsafeOutput {
            path,
            reason,
            reason_zh,
        } => words.get(
            "cli_err_refused",
            &[
                ("path", &path.display().to_string()),
                ("reason", if zh { reason_zh } else { reason }),
            ],
        ),
        Error::Read { path, source } => words.get(
            "cli_err_cannot_read",
            &[
                ("path", &path.display().to_string()),
                ("error", &io(source)),
            ],
        ),
        Error::Write { path, source } => words.get(
            "cli_err_cannot_write",
            &[
                ("path", &path.display().to_string()),
                ("error", &io(source)),
            ],
        ),
        Error::Pdf { message } => {
            let english_only = rulebook::messages::phrase("english-only", &[]).1;
            words.get(
                "cli_err_cannot_print",
                &[("error", if zh { &english_only } else { message })],
            )
        }
        e => e.to_string(),
    }
}
