//! Role detection and classification on text nobody wrote on purpose: random mixes of role names,
//! the words that classify them, quotes, enumeration marks, multi-byte and control characters. The
//! analysis slices text around every mention; no input may make it panic, and every duty's excerpt
//! is text of its regulation.

use crate::common;

use rulebook::Site;

/// A tiny deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "主要领导",
    "一把手",
    "主任",
    "办公室主任",
    "保密办办公室",
    "出纳",
    "出纳员",
    "分管财务副主任",
    "主管财务副主任",
    "副主任",
    "驾驶员",
    "印章专管员",
    "保管人",
    "科室（站）",
    "办务会",
    "向",
    "对",
    "协助",
    "批准",
    "签字",
    "审批单",
    "负责",
    "列席",
    "备案",
    "报告",
    "、",
    "和",
    "或",
    "，",
    "。",
    "；",
    "“",
    "”",
    "\"",
    "（一）",
    "1．",
    "第五条",
    "本办法",
    " ",
    "\u{3000}",
    "\t",
    "a",
    "é",
    "😀",
    "\u{200b}",
    "\u{301}",
    "《财务管理制度》",
    "\n",
    "\n\n",
];

#[test]
fn random_mixes_of_roles_and_verbs_never_panic() {
    let roles = std::fs::read_to_string(common::repo_root().join("content/roles.yaml")).unwrap();
    let mut files: Vec<(String, String)> = vec![
        (
            "content/site.yaml".into(),
            "title: 测试\nshort_name: 市委保密办\n".into(),
        ),
        ("content/roles.yaml".into(), roles),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..300 {
        let mut body = String::new();
        let n = 1 + rng.next() % 120;
        for _ in 0..n {
            body.push_str(rng.pick(PIECES));
        }
        // Some start as numbered clauses, so mentions fall in clauses, items and preambles.
        let lead = rng.pick(&["", "一、", "第一条　", "（一）", "1．"]);
        files.push((
            format!("content/r{i}.md"),
            format!("---\ntitle: 随机制度{i}\n---\n{lead}{body}\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = common::fixture_site(&refs);
    let mut site = Site::new(dir.path());
    let diags = site.check().to_vec();
    assert!(
        !diags.iter().any(|d| d.is_error()),
        "{:#?}",
        diags.iter().filter(|d| d.is_error()).collect::<Vec<_>>()
    );
    let lib = site.library.as_ref().expect("loaded");
    assert!(lib.duties.len() > 300, "{} duties", lib.duties.len());
    for d in &lib.duties {
        let text = std::fs::read_to_string(
            dir.path()
                .join("content")
                .join(format!("{}.md", lib.regulations[d.regulation].id)),
        )
        .unwrap();
        let squash = |s: &str| common::squash(s);
        let excerpt = squash(d.excerpt.trim_end_matches('…').trim_start_matches('…'));
        assert!(
            squash(&text).contains(&excerpt),
            "{}: excerpt {:?} is not its text",
            lib.regulations[d.regulation].id,
            d.excerpt
        );
    }
    // And the pages render.
    let out = dir.path().join("public");
    site.build(Some(&out), false).expect("build");
}
