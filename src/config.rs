//! `site.yaml`: the raw file as written, validated into the [`Config`] the rest of the build uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::files::CopiedFile;
use crate::content::yaml;
use crate::error::{Diagnostic, Severity};
use crate::url;

/// A form the text names without 《》, and its other names (`form_names:` of site.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormName {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// What `site.yaml` may say. Every field is optional so that a folder of plain Markdown builds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    organisation: Option<String>,
    language: Option<String>,
    edition: Option<String>,
    /// The date on the cover of the bound edition (`rulebook pdf`); the day of printing if unset.
    date: Option<String>,
    base_path: Option<String>,
    categories: Option<Vec<RawCategory>>,
    /// Highest classification that may be published; documents above it are left out entirely.
    publish_level: Option<String>,
    /// Ordered classification levels, lowest first.
    classification_levels: Option<Vec<String>>,
    raw_html: Option<RawHtml>,
    /// UI string overrides (key → text), on top of the theme's strings for `language`.
    strings: Option<BTreeMap<String, String>>,
    /// External documents: citation (as written in 《》, or a document number) → URL or file.
    external: Option<BTreeMap<String, String>>,
    /// Forms (《印章使用审批单》 …): name → file under content/ (or URL) to link to. Names listed here
    /// are forms even when their name does not end like one.
    forms: Option<BTreeMap<String, String>>,
    /// Forms the text names without 《》 (派车单, 入党申请书): each name, and the other names it goes by.
    form_names: Option<Vec<FormName>>,
    /// The organisation's short name as titles begin with it (市委保密办): 《财务管理制度》 then finds
    /// 市委保密办财务管理制度, and a 《市委保密办…》 title that matches nothing is an error, not a citation.
    short_name: Option<String>,
    /// Warnings fail the build (for an office's own CI), like `--deny-warnings`.
    strict: Option<bool>,
    /// How the printed edition is bound: `duplex` starts every regulation on a right-hand page.
    binding: Option<Binding>,
    /// A git tag (or other revision) to compare with: the 修订记录 lists the changes since then.
    compare_with: Option<String>,
    /// `false`: no 修订记录 from git (the folder's history is not the regulations' own).
    history: Option<bool>,
    /// Commits kept out of the published history (full or abbreviated hashes, at least 7 digits).
    history_exclude: Option<Vec<String>>,
    /// The bound edition's typefaces and marks (`print:`).
    print: Option<PrintConfig>,
}

/// Typefaces of the bound edition (`print: fonts:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FontChoice {
    /// The 公文 preset if its four typefaces are installed, else the compact Noto layout (said so).
    #[default]
    Auto,
    /// GB/T 9704 layout (3号 body, 28 characters × 22 lines) in 小标宋, 仿宋, 黑体 and 楷体; in
    /// Noto faces where those are missing (said so).
    Gongwen,
    /// The compact layout in Noto Serif and Sans CJK (or the system's Song and Hei).
    Noto,
}

/// `print:` of `site.yaml`: how the bound edition (`rulebook pdf`) is set.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrintConfig {
    #[serde(default)]
    pub fonts: FontChoice,
    /// A line printed at the top left of the cover, as 内部资料 are marked (内部资料 注意保存).
    pub notice: Option<String>,
    /// Whether blank pages (left before a right-hand start) carry a page number; default no.
    #[serde(default)]
    pub number_blank_pages: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: String,
    title: String,
}

/// How the bound (PDF) edition is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// Printed on one side: a regulation starts on the next page.
    #[default]
    Simplex,
    /// Printed on both sides: a regulation starts on the next odd (right-hand) page.
    Duplex,
}

/// What raw HTML written in a regulation's Markdown may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep a safe subset (tables, `<br>`, `<sup>` …); drop scripts, event handlers, `javascript:` URLs.
    #[default]
    Safe,
    /// Show raw HTML as text.
    Escape,
    /// Pass it through (only for fully trusted editors), except URLs the URL policy refuses
    /// ([`crate::url`]): those attributes are removed under every policy.
    Trust,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CategoryConfig {
    pub id: String,
    pub title: String,
}

/// The validated site configuration.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub organisation: Option<String>,
    pub language: String,
    pub edition: Option<String>,
    /// The date on the cover of the bound edition (`date:`); the day of printing if unset.
    pub date: Option<String>,
    /// URL path the site is served under, `""` or like `/handbook/`; used only by the 404 page.
    pub base_path: String,
    pub categories: Vec<CategoryConfig>,
    pub classification_levels: Vec<String>,
    /// Index into `classification_levels` of the highest publishable level.
    pub publish_level: usize,
    pub raw_html: RawHtml,
    pub strings: BTreeMap<String, String>,
    /// Cited document → URL (allowed by [`crate::url`]) or file under content/.
    pub external: BTreeMap<String, String>,
    /// Form → URL (allowed by [`crate::url`]) or file under content/.
    pub forms: BTreeMap<String, String>,
    /// Forms the text names without 《》 (`form_names:`), found by [`crate::structure::forms`].
    pub form_names: Vec<FormName>,
    pub short_name: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// How the bound edition is printed (`binding:`).
    pub binding: Binding,
    /// The edition to compare with (a git tag or revision); `None`: the whole history.
    pub compare_with: Option<String>,
    /// Whether the 修订记录 pages are made from the content's git history (`history:`, default
    /// true); without it the `revisions:` entries of the front-matter are shown alone.
    pub history: bool,
    /// Commits whose text the 修订记录 never shows (`history_exclude:`): lowercase hex prefixes.
    pub history_exclude: Vec<String>,
    /// How the bound edition is set (`print:`).
    pub print: PrintConfig,
    /// Where each `external:` and `forms:` entry is written: (section, name) → (line, column).
    #[serde(skip)]
    pub entry_lines: BTreeMap<(String, String), (usize, usize)>,
    /// `site.yaml` as the editor knows it (relative to the site root), for diagnostics.
    #[serde(skip)]
    pub path: PathBuf,
    /// Files copied into the output as they are (the `forms:`/`external:` files, the site's
    /// `static/`), checked when the content is loaded (`content::files`); rendering only reads these.
    #[serde(skip)]
    pub copied: Vec<CopiedFile>,
    /// The content folder on disk, set by [`crate::site::Site::load`]: authors' relative links and
    /// the files beside pages are resolved against it. `None` for a library built in code (tests),
    /// whose links are left as written.
    #[serde(skip)]
    pub content_dir: Option<PathBuf>,
    /// Groups of words search treats as one (`synonyms.yaml` beside `site.yaml`): 请假/休假.
    pub synonyms: Vec<Vec<String>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "规章制度".into(),
            organisation: None,
            language: "zh-CN".into(),
            edition: None,
            date: None,
            base_path: String::new(),
            categories: Vec::new(),
            classification_levels: default_levels(),
            publish_level: default_publish_level(&default_levels()),
            raw_html: RawHtml::Safe,
            strings: crate::i18n::builtin("zh-CN"),
            external: BTreeMap::new(),
            forms: BTreeMap::new(),
            form_names: Vec::new(),
            short_name: None,
            strict: false,
            binding: Binding::Simplex,
            compare_with: None,
            history: true,
            history_exclude: Vec::new(),
            print: PrintConfig::default(),
            entry_lines: BTreeMap::new(),
            path: PathBuf::from("content/site.yaml"),
            copied: Vec::new(),
            content_dir: None,
            synonyms: Vec::new(),
        }
    }
}

fn default_levels() -> Vec<String> {
    ["公开", "内部", "秘密", "机密", "绝密"]
        .map(String::from)
        .to_vec()
}

/// The publish level when `site.yaml` names none (or there is no `site.yaml`): the second level
/// (内部 with the default levels), or the only one.
/// Whether `s` has the shape of a BCP 47 language tag: a 2–8 letter language, then subtags of 1–8
/// letters or digits, joined by hyphens.
fn language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    parts
        .next()
        .is_some_and(|l| (2..=8).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn default_publish_level(levels: &[String]) -> usize {
    1.min(levels.len().saturating_sub(1))
}

impl Config {
    /// The language the site's messages are shown in (its `language:`).
    pub fn lang(&self) -> crate::messages::Lang {
        crate::messages::Lang::for_tag(&self.language)
    }

    /// Load `site.yaml` from the content folder; a missing file gives the defaults.
    pub fn load(content_dir: &Path, display_path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let mut config = Config::load_site(content_dir, display_path)?;
        config.synonyms = load_synonyms(
            &content_dir.join("synonyms.yaml"),
            &display_path.with_file_name("synonyms.yaml"),
        )?;
        Ok(config)
    }

    fn load_site(content_dir: &Path, display_path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let Some(text) = read_optional(&content_dir.join("site.yaml"), display_path)? else {
            return Ok(Config {
                path: display_path.to_path_buf(),
                ..Config::default()
            });
        };
        let mut config = Config::parse(&text, display_path)?;
        // The site's own catalogue for its language (`i18n/<language>.yaml` beside content/), under
        // the overrides of `strings:`, which come last.
        let root = content_dir.parent().unwrap_or(content_dir);
        let file = root.join("i18n").join(format!("{}.yaml", config.language));
        if file.is_file() {
            let raw: RawConfig = yaml::from_str(&text).map_err(|_| Vec::new())?;
            match crate::i18n::for_site(root, &config.language) {
                Ok(mut strings) => {
                    strings.extend(raw.strings.unwrap_or_default());
                    config.strings = strings;
                }
                Err(detail) => {
                    return Err(vec![Diagnostic::coded(
                        Severity::Error,
                        "RB057",
                        Path::new("i18n").join(format!("{}.yaml", config.language)),
                        1,
                        1,
                        vec![
                            ("file", format!("i18n/{}.yaml", config.language)),
                            ("detail_zh", detail.clone()),
                            ("detail", detail),
                        ],
                    )]);
                }
            }
        }
        Ok(config)
    }

    /// Validate the text of a `site.yaml`.
    pub fn parse(text: &str, display_path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = yaml::from_str(text).map_err(|e| {
            vec![Diagnostic::coded(
                Severity::Error,
                "RB077",
                display_path,
                e.line,
                e.column,
                crate::messages::yaml_detail(e.message),
            )]
        })?;
        let mut errors = Vec::new();
        let d = Config::default();
        let levels = raw.classification_levels.unwrap_or_else(default_levels);
        let publish_level = match &raw.publish_level {
            None => default_publish_level(&levels),
            Some(l) => match levels.iter().position(|x| x == l) {
                Some(i) => i,
                None => {
                    errors.push(Diagnostic::coded(
                        Severity::Error,
                        "RB078",
                        display_path,
                        line_of_key(text, "publish_level"),
                        1,
                        vec![("value", l.clone()), ("choices", levels.join(", "))],
                    ));
                    0
                }
            },
        };
        let mut base_path = raw.base_path.unwrap_or_default();
        if let Some(bad) = base_path_problem(&base_path) {
            let (bad, bad_zh) = crate::messages::phrase(bad, &[]);
            errors.push(Diagnostic::coded(
                Severity::Error,
                "RB079",
                display_path,
                line_of_key(text, "base_path"),
                1,
                vec![
                    ("value", url::shown(&base_path).to_string()),
                    ("problem", bad),
                    ("problem_zh", bad_zh),
                ],
            ));
        }
        if !base_path.is_empty() {
            if !base_path.starts_with('/') {
                base_path.insert(0, '/');
            }
            if !base_path.ends_with('/') {
                base_path.push('/');
            }
        }
        let categories: Vec<CategoryConfig> = raw
            .categories
            .unwrap_or_default()
            .into_iter()
            .map(|c| CategoryConfig {
                id: c.id,
                title: c.title,
            })
            .collect();
        for (i, c) in categories.iter().enumerate() {
            if categories[..i].iter().any(|o| o.id == c.id) {
                errors.push(Diagnostic::coded(
                    Severity::Error,
                    "RB080",
                    display_path,
                    line_of_key(text, "categories"),
                    1,
                    vec![("id", c.id.clone())],
                ));
            }
        }
        let external = raw.external.unwrap_or_default();
        let forms = raw.forms.unwrap_or_default();
        let mut entry_lines = BTreeMap::new();
        for (section, map) in [("external", &external), ("forms", &forms)] {
            for (name, dest) in map {
                let (line, column) = locate(text, section, name, dest);
                entry_lines.insert((section.to_string(), name.clone()), (line, column));
                if let Some(scheme) = url::scheme(dest)
                    && !url::allowed(dest)
                {
                    errors.push(Diagnostic::coded(
                        Severity::Error,
                        "RB081",
                        display_path,
                        line,
                        column,
                        vec![
                            ("section", section.to_string()),
                            ("name", name.clone()),
                            ("dest", url::shown(dest).to_string()),
                            ("scheme", scheme.to_string()),
                            ("schemes", url::allowed_schemes_shown()),
                        ],
                    ));
                }
            }
        }
        // `language:` lands in every page's `<html lang>`: only a tag of letters, digits and hyphens
        // (BCP 47's shape: zh-CN, en, zh-Hans-CN) is taken.
        if let Some(l) = &raw.language
            && !language_tag(l)
        {
            errors.push(Diagnostic::coded(
                Severity::Error,
                "RB108",
                display_path,
                line_of_key(text, "language"),
                1,
                vec![("value", l.clone())],
            ));
        }
        // A commit named to keep text out must name a commit: anything else would keep nothing out.
        let mut history_exclude = Vec::new();
        for c in raw.history_exclude.unwrap_or_default() {
            let hex = c.trim().to_ascii_lowercase();
            if hex.len() < 7 || hex.len() > 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                errors.push(Diagnostic::coded(
                    Severity::Error,
                    "RB100",
                    display_path,
                    line_of_key(text, "history_exclude"),
                    1,
                    vec![("value", c.clone())],
                ));
            } else {
                history_exclude.push(hex);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title: raw.title.unwrap_or(d.title),
            organisation: raw.organisation,
            language: raw.language.clone().unwrap_or(d.language),
            edition: raw.edition,
            date: raw.date,
            base_path,
            categories,
            classification_levels: levels,
            publish_level,
            raw_html: raw.raw_html.unwrap_or_default(),
            strings: {
                let language = raw.language.as_deref().unwrap_or("zh-CN");
                let mut s = crate::i18n::builtin(language);
                s.extend(raw.strings.unwrap_or_default());
                s
            },
            external,
            forms,
            form_names: raw.form_names.unwrap_or_default(),
            short_name: raw.short_name.filter(|s| !s.trim().is_empty()),
            strict: raw.strict.unwrap_or(false),
            binding: raw.binding.unwrap_or_default(),
            compare_with: raw.compare_with.filter(|s| !s.trim().is_empty()),
            history: raw.history.unwrap_or(true),
            history_exclude,
            print: raw.print.unwrap_or_default(),
            entry_lines,
            path: display_path.to_path_buf(),
            copied: Vec::new(),
            content_dir: None,
            synonyms: Vec::new(),
        })
    }

    /// A title as the interface quotes it (《title》, “title”): `title_open` and `title_close`.
    pub fn quoted(&self, title: &str) -> String {
        format!(
            "{}{title}{}",
            self.string("title_open"),
            self.string("title_close")
        )
    }

    /// `s` in the interface's parentheses (（s）, ` (s)`).
    pub fn paren(&self, s: &str) -> String {
        format!(
            "{}{s}{}",
            self.string("paren_open"),
            self.string("paren_close")
        )
    }

    /// A UI string by key (the key itself if no table has it, so a gap shows rather than breaks).
    pub fn string(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Whether a document of this classification may appear in the output.
    pub fn publishable(&self, classification: Option<&str>) -> bool {
        match classification {
            None => true,
            Some(c) => self
                .classification_levels
                .iter()
                .position(|l| l == c)
                .is_some_and(|i| i <= self.publish_level),
        }
    }

    /// Where the `section` (`external` or `forms`) entry `name` is written in site.yaml.
    pub fn entry_line(&self, section: &str, name: &str) -> (usize, usize) {
        self.entry_lines
            .get(&(section.to_string(), name.to_string()))
            .copied()
            .unwrap_or((1, 1))
    }
}

/// What is wrong with a `base_path`, if anything (a phrase of the catalogue): it must be a plain
/// path, never an address of its own (`//host/`, `javascript:`), because the 404 page loads its
/// stylesheet and script from it.
fn base_path_problem(p: &str) -> Option<&'static str> {
    if p.starts_with("//") || p.starts_with("\\\\") {
        return Some("base-path-host");
    }
    if url::scheme(p).is_some() {
        return Some("base-path-address");
    }
    if p.chars()
        .any(|c| c.is_control() || c.is_whitespace() || "\\\"'<>?#`".contains(c))
    {
        return Some("base-path-characters");
    }
    if p.split('/').any(|s| s == "..") {
        return Some("base-path-up");
    }
    None
}

/// Line and column (1-based) of a map entry `name: value` under the top-level key `section`: the
/// first line from the section on that holds the value (or else the name); the section's line if
/// neither is found (YAML may quote or fold them).
fn locate(text: &str, section: &str, name: &str, value: &str) -> (usize, usize) {
    let start = line_of_key(text, section) - 1;
    let lines: Vec<&str> = text.lines().collect();
    let col = |l: &str, p: usize| l[..p].chars().count() + 1;
    let rest = || lines.iter().enumerate().skip(start);
    if !value.is_empty() {
        for (i, l) in rest() {
            if let Some(n) = l.find(name)
                && let Some(v) = l[n..].find(value)
            {
                return (i + 1, col(l, n + v));
            }
        }
        for (i, l) in rest() {
            if let Some(v) = l.find(value) {
                return (i + 1, col(l, v));
            }
        }
    }
    for (i, l) in rest() {
        if let Some(n) = l.find(name) {
            return (i + 1, col(l, n));
        }
    }
    (start + 1, 1)
}

/// A settings file beside `site.yaml` that may be absent: `None` when it is, an RB076 error when
/// it cannot be read.
fn read_optional(path: &Path, display_path: &Path) -> Result<Option<String>, Vec<Diagnostic>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(vec![Diagnostic::coded(
            Severity::Error,
            "RB076",
            display_path,
            1,
            1,
            vec![
                ("error_zh", crate::messages::io_reason_zh(&e)),
                ("error", e.to_string()),
            ],
        )]),
    }
}

/// The editors' synonym groups (`synonyms.yaml`: a list of lists of words), for search; none
/// without the file. A group of fewer than two words is dropped.
fn load_synonyms(path: &Path, display_path: &Path) -> Result<Vec<Vec<String>>, Vec<Diagnostic>> {
    let Some(text) = read_optional(path, display_path)? else {
        return Ok(Vec::new());
    };
    let groups: Option<Vec<Vec<String>>> = yaml::from_str(&text).map_err(|e| {
        vec![Diagnostic::coded(
            Severity::Error,
            "RB160",
            display_path,
            e.line,
            e.column,
            crate::messages::yaml_detail(e.message),
        )]
    })?;
    Ok(groups
        .unwrap_or_default()
        .into_iter()
        .map(|g| {
            g.into_iter()
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|g| g.len() > 1)
        .collect())
}

pub(crate) fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(key))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(t, Path::new("content/site.yaml"))
    }

    #[test]
    fn defaults_and_validation() {
        let c = parse("").unwrap();
        assert_eq!(
            c.publish_level,
            Config::default().publish_level,
            "an empty site.yaml is no site.yaml"
        );
        assert!(
            Config::default().publishable(Some("内部"))
                && !Config::default().publishable(Some("秘密"))
        );
        assert_eq!(c.language, "zh-CN");
        assert!(c.publishable(None));
        assert!(c.publishable(Some("内部")));
        assert!(!c.publishable(Some("秘密")));
        assert!(!c.publishable(Some("不存在的密级")));
        let c = parse("title: T\nbase_path: handbook\npublish_level: 公开\n").unwrap();
        assert_eq!(c.base_path, "/handbook/");
        assert!(!c.publishable(Some("内部")));
        let e = parse("title: T\ntitel: x\n").unwrap_err();
        assert_eq!(e[0].line, 2, "{e:?}");
        assert!(e[0].message.contains("titel"));
        let e = parse("title: T\npublish_level: 高\n").unwrap_err();
        assert_eq!(e[0].line, 2);
    }

    /// `external:` and `forms:` addresses with a refused scheme are errors at their line and column,
    /// in block and flow style; allowed URLs and file paths pass (files are checked when loading).
    #[test]
    fn external_and_form_addresses() {
        let c = parse("external: {甲: https://example.org/a, 乙: files/b.pdf}\nforms:\n  丙: tel:+86-1\n  丁: 'forms/d.docx'\n").unwrap();
        assert_eq!(c.entry_line("external", "乙"), (1, 41));
        assert_eq!(c.entry_line("forms", "丙"), (3, 6));
        assert_eq!(c.entry_line("forms", "丁"), (4, 7));
        let cases: &[(&str, usize, usize)] = &[
            ("external: {甲: \"javascript:alert(1)\"}\n", 1, 16),
            (
                "title: T\nexternal:\n  甲: 'JavaScript://x/%0aalert(1)'\n",
                3,
                7,
            ),
            ("forms:\n  甲: data:text/html,x\n  乙: ok.pdf\n", 2, 6),
            // An escaped value is not in the text as parsed: the name is pointed at.
            ("forms:\n  甲: \"java\\tscript:x\"\n", 2, 3),
            ("forms:\n  甲: file:///etc/passwd\n", 2, 6),
        ];
        for (text, line, column) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!(e.len(), 1, "{text}: {e:?}");
            assert_eq!((e[0].line, e[0].column), (*line, *column), "{text}: {e:?}");
            assert!(e[0].help.as_deref().unwrap().contains("https:"), "{e:?}");
        }
        for bad in ["//evil.example/", "javascript:x", "/a b/", "/../x/"] {
            let e = parse(&format!("title: T\nbase_path: '{bad}'\n")).unwrap_err();
            assert_eq!(e[0].line, 2, "{bad}: {e:?}");
        }
        assert_eq!(
            parse("base_path: /手册/v1\n").unwrap().base_path,
            "/手册/v1/"
        );
    }
}
