//! The real cause first (issue 24): one tab in roles.yaml is one error, with the problems that only
//! follow from it counted beside it (RB120), not 118 errors with the real one last — in `check
//! --format json`, in both languages.

use crate::common;

#[test]
fn an_unreadable_roles_file_is_reported_first_and_its_consequences_counted() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_content(dir.path());
    let roles = dir.path().join("content/roles.yaml");
    let text = std::fs::read_to_string(&roles).unwrap();
    // A tab for the first indentation of a key: the YAML cannot be read.
    let line = text
        .lines()
        .position(|l| l.starts_with("  name:"))
        .expect("a role");
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                l.replacen("  ", "\t", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&roles, broken.join("\n") + "\n").unwrap();
    for (lang, count_text) in [("zh-CN", "另有"), ("en", "more problem")] {
        let (code, json) = common::check_json(dir.path(), &["--lang", lang]);
        assert_eq!(code, 1);
        let diags = json["diagnostics"].as_array().unwrap();
        let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
        assert_eq!(errors.len(), 1, "{lang}: only the cause: {errors:#?}");
        // The tab itself, with its advice (a YAML slip, RB121), rather than the parser's words.
        assert_eq!(errors[0]["code"], "RB121");
        assert_eq!(errors[0]["path"], "content/roles.yaml");
        assert_eq!(errors[0]["line"], line + 1);
        let counted = diags
            .iter()
            .find(|d| d["code"] == "RB120")
            .unwrap_or_else(|| panic!("{lang}: the count: {diags:#?}"));
        assert_eq!(counted["path"], "content/roles.yaml");
        let message = counted["message"].as_str().unwrap();
        assert!(message.contains(count_text), "{message}");
        let n: usize = message
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap();
        assert!(n > 100, "the seed's procedures name roles: {message}");
        assert!(message.contains("roles.yaml"), "{message}");
    }
}
