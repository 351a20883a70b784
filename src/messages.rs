//! The message catalogue: the text of every coded diagnostic in each language the tool speaks
//! (Chinese and English), under a stable code (`RB012`) that tools, CI logs and the README use.
//!
//! A diagnostic is made with its code and named arguments ([`crate::error::Diagnostic::coded`]);
//! its English text is filled in at once (library users and logs read `message`), and the command
//! line re-renders it in the language asked for ([`crate::error::Diagnostic::localize`]). A
//! translator edits this one table: each text names its arguments as `{name}`.

/// A language diagnostics can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese: the default, as the handbooks and their editors are Chinese.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The language for a site's `language:` tag (`zh-CN`, `en`, `en-GB` …): English for `en…`,
    /// Chinese otherwise.
    pub fn for_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// One kind of problem: its code, a short name, and its text and advice in each language.
#[derive(Debug)]
pub struct Message {
    pub code: &'static str,
    /// A readable name for the kind (`yaml-syntax`), for the README and grouping.
    pub name: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    /// What to do; empty when the advice depends on the case (a [`Hint`] gives it).
    pub help_en: &'static str,
    pub help_zh: &'static str,
}

/// Advice that varies with the case (a near miss found or not), shared by several codes.
#[derive(Debug)]
pub struct Hint {
    pub name: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

macro_rules! messages {
    ($($code:literal $name:literal { en: $en:literal, zh: $zh:literal, help_en: $hen:literal, help_zh: $hzh:literal $(,)? })*) => {
        /// Every coded message, in code order.
        pub const CATALOGUE: &[Message] = &[$(Message {
            code: $code,
            name: $name,
            en: $en,
            zh: $zh,
            help_en: $hen,
            help_zh: $hzh,
        }),*];
    };
}

messages! {
    "RB001" "no-front-matter" {
        en: "the file does not start with front-matter",
        zh: "文件开头没有 front-matter（元数据）",
        help_en: "begin the file with a line `---`, then `title: …`, then a closing `---` line",
        help_zh: "文件第一行写 `---`，接着写 `title: 制度名称`，再写一行 `---` 结束",
    }
    "RB002" "front-matter-not-closed" {
        en: "the front-matter is never closed",
        zh: "front-matter 没有结束行",
        help_en: "add a line `---` after the last front-matter line",
        help_zh: "在 front-matter 最后一行之后加一行 `---`",
    }
    "RB003" "yaml-syntax" {
        en: "invalid front-matter: {detail}",
        zh: "front-matter 不是有效的 YAML：{detail_zh}",
        help_en: "front-matter is YAML: one `key: value` per line; quote values that contain `:` or start with a special character",
        help_zh: "front-matter 每行写一个 `键: 值`（冒号用半角并后跟空格）；值中含 `:` 或以特殊字符开头时，用引号括起来",
    }
    "RB004" "wrong-type" {
        en: "`{key}` must be {expected}, not {found}",
        zh: "`{key}` 的值应为{expected_zh}，现为 {found}",
        help_en: "see the README, section \"Writing regulations\", for each key's form",
        help_zh: "各键的写法见 README 的 “Writing regulations” 一节；例如 `order: 3` 只能写阿拉伯数字",
    }
    "RB005" "invalid-front-matter-value" {
        en: "invalid front-matter: {detail}",
        zh: "front-matter 的值不合要求：{detail}",
        help_en: "see the README, section \"Writing regulations\", for each key's form",
        help_zh: "各键的写法见 README 的 “Writing regulations” 一节",
    }
    "RB006" "unknown-key" {
        en: "unknown front-matter key `{key}` is ignored",
        zh: "不认识的 front-matter 键 `{key}`，已忽略",
        help_en: "",
        help_zh: "",
    }
    "RB007" "misspelt-exclusion-key" {
        en: "unknown front-matter key `{key}`: it looks like `{meant}`, which decides whether the regulation is published",
        zh: "不认识的 front-matter 键 `{key}`：看起来是 `{meant}`，它决定这份制度是否发布",
        help_en: "write `{meant}:` exactly (lower case); the document is not built until then, so that nothing meant to be withheld is published",
        help_zh: "请准确写成 `{meant}:`（小写）；改正之前这份文件不会生成，以免把不该公开的内容发布出去",
    }
    "RB008" "missing-title" {
        en: "the front-matter has no `title`",
        zh: "front-matter 中没有 `title`（标题）",
        help_en: "add a line `title: <the regulation's title>` between the `---` lines",
        help_zh: "在两行 `---` 之间加一行 `title: 制度名称`",
    }
    "RB009" "empty-title" {
        en: "the `title` is empty",
        zh: "`title`（标题）是空的",
        help_en: "write the regulation's title after `title:`",
        help_zh: "在 `title:` 后面写上制度名称",
    }
    "RB010" "duplicate-id" {
        en: "id `{id}` is already used by {first}",
        zh: "id `{id}` 已被 {first} 使用",
        help_en: "give one of the two files a different `id:` (ids must be unique; the default is the file's path under content/)",
        help_zh: "给两个文件之一另写一个 `id:`（id 不能重复；不写时取文件在 content/ 下的路径）",
    }
    "RB011" "duplicate-title" {
        en: "the title 《{title}》 is already used by {first}",
        zh: "标题《{title}》已被 {first} 使用",
        help_en: "references find regulations by title: give one of the two a different title (or, for two forms of one document, different `subtitle:`s)",
        help_zh: "引用按标题找到制度：请改其中一个的标题（同一文件的两种版本，可各写不同的 `subtitle:`）",
    }
    "RB012" "not-utf8-gb18030" {
        en: "the file is not UTF-8: it looks like GB18030/GBK, as WPS and Word save Chinese text",
        zh: "文件不是 UTF-8 编码：看起来是 GB18030/GBK（WPS、Word 保存中文时常用）",
        help_en: "save it as UTF-8 (WPS/Word: 另存为 → 纯文本 → 编码 UTF-8), or convert it with `iconv -f GB18030 -t UTF-8 FILE > NEW`, or build with `--encoding gb18030` to read such files as GB18030",
        help_zh: "请另存为 UTF-8（WPS/Word：另存为 → 纯文本 → 编码选 UTF-8），或用 `iconv -f GB18030 -t UTF-8 原文件 > 新文件` 转换，或加 `--encoding gb18030` 按 GB18030 读取",
    }
    "RB013" "not-utf8" {
        en: "the file is not valid UTF-8",
        zh: "文件不是有效的 UTF-8 编码",
        help_en: "save the file as UTF-8 (many editors call it \"UTF-8 without BOM\")",
        help_zh: "请把文件另存为 UTF-8（不少编辑器称为“UTF-8 无 BOM”）",
    }
    "RB014" "utf16" {
        en: "the file is {encoding} (read as such)",
        zh: "文件是 {encoding} 编码（已按此读取）",
        help_en: "save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8), as every other file of the handbook",
        help_zh: "请像其他文件一样另存为 UTF-8（记事本：另存为 → 编码选 UTF-8）",
    }
    "RB015" "numbering" {
        en: "{label} follows number {previous}",
        zh: "{label}的前一个编号是 {previous}，编号不连续或重复",
        help_en: "check the numbering against the original document",
        help_zh: "请对照原件核对编号",
    }
    "RB018" "empty-regulation" {
        en: "the regulation has no text",
        zh: "这份制度没有正文",
        help_en: "write its articles below the closing `---`, or mark it `draft: true` until it has them",
        help_zh: "在结束的 `---` 下面写上条文；暂时没有正文时，在 front-matter 写 `draft: true`",
    }
    "RB019" "duplicate-alias" {
        en: "the alias 《{alias}》 {clash}",
        zh: "别名《{alias}》{clash_zh}",
        help_en: "an alias must name one regulation only: remove it or make it more specific",
        help_zh: "一个别名只能指一份制度：删去它，或写得更具体",
    }
    "RB020" "control-characters" {
        en: "{count} control character(s) in the text (the first here) are left out",
        zh: "正文中有 {count} 个控制字符（第一个在此），已去掉",
        help_en: "they are usually debris from a conversion; delete them (only tab and newline belong in the text)",
        help_zh: "这通常是格式转换留下的杂字符，请删除（正文中只应有制表符和换行）",
    }
    "RB021" "unreadable" {
        en: "cannot read the file: {error}",
        zh: "无法读取文件：{error_zh}",
        help_en: "check that the file exists and is readable",
        help_zh: "请确认文件存在且有读取权限",
    }
    "RB022" "no-content-folder" {
        en: "there is no content folder",
        zh: "没有 content 文件夹",
        help_en: "create `content/` with one Markdown file per regulation, or pass --root",
        help_zh: "请建立 `content/` 文件夹，每份制度一个 Markdown 文件；或用 --root 指定站点文件夹",
    }
    "RB023" "unknown-classification" {
        en: "unknown classification `{value}`",
        zh: "不认识的密级 `{value}`",
        help_en: "use one of: {choices}",
        help_zh: "请用其中之一：{choices}",
    }
    "RB024" "unknown-role" {
        en: "unknown role `{role}`",
        zh: "不认识的岗位 `{role}`",
        help_en: "",
        help_zh: "",
    }
    "RB026" "unknown-key-many" {
        en: "unknown front-matter key `{key}` is ignored ({files} files use it: {places})",
        zh: "不认识的 front-matter 键 `{key}`，已忽略（{files} 个文件使用：{places}）",
        help_en: "",
        help_zh: "",
    }
    "RB027" "numbering-repeat" {
        en: "{label} appears twice at this level; its anchor is `{anchor}`",
        zh: "{label}在同一层级出现了两次；它的锚点为 `{anchor}`",
        help_en: "check the numbering against the original document",
        help_zh: "请对照原件核对编号",
    }
    "RB030" "reference-no-clause" {
        en: "《{title}》 has no {clause}",
        zh: "《{title}》中没有{clause}",
        help_en: "check the clause number against regulations/{id}.html",
        help_zh: "请对照 regulations/{id}.html 核对条款号",
    }
    "RB031" "reference-unpublished" {
        en: "《{name}》 is not published (draft or classified): {title}",
        zh: "《{name}》未发布（草稿或涉密）：{title}",
        help_en: "publish that regulation, or remove the reference",
        help_zh: "请发布该制度，或删去这处引用",
    }
    "RB032" "reference-unknown-title" {
        en: "《{name}》 matches no regulation of the handbook",
        zh: "《{name}》与本手册的任何制度都对不上",
        help_en: "",
        help_zh: "",
    }
    "RB033" "reference-paragraphs-before" {
        en: "{text} in paragraph {k} of {label} refers to nothing",
        zh: "{label}第{k}款中的“{text}”指不到任何一款",
        help_en: "前两款 means the two paragraphs before this one in the same article",
        help_zh: "“前两款”指同一条中本款之前的两款",
    }
    "RB034" "reference-no-paragraph" {
        en: "{text}: {label} has no such paragraph",
        zh: "{text}：{label}没有这一款",
        help_en: "本条第K款 means the K-th paragraph of the same article",
        help_zh: "“本条第K款”指同一条的第K款",
    }
    "RB035" "reference-previous-paragraph" {
        en: "{text} in the first paragraph of {label} refers to nothing",
        zh: "{label}第一款中的“{text}”指不到任何一款",
        help_en: "前款 means the previous paragraph of the same article",
        help_zh: "“前款”指同一条中的上一款",
    }
    "RB036" "reference-own-no-clause" {
        en: "{label}: this regulation has no such clause",
        zh: "{label}：本制度没有这一条款",
        help_en: "check the number; the clauses of {title} are listed in its table of contents",
        help_zh: "请核对编号；《{title}》的条款见其页面上的目录",
    }
    "RB037" "explicit-reference-unpublished" {
        en: "explicit reference `{dest}`: `{id}` is not published (draft or classified)",
        zh: "显式引用 `{dest}`：`{id}` 未发布（草稿或涉密）",
        help_en: "publish that regulation, or remove the reference",
        help_zh: "请发布该制度，或删去这处引用",
    }
    "RB038" "explicit-reference-unknown-id" {
        en: "explicit reference `{dest}`: no regulation has the id `{id}`",
        zh: "显式引用 `{dest}`：没有 id 为 `{id}` 的制度",
        help_en: "",
        help_zh: "",
    }
    "RB039" "explicit-reference-no-clause" {
        en: "explicit reference `{dest}`: {id} has no clause `{anchor}`",
        zh: "显式引用 `{dest}`：{id} 中没有条款 `{anchor}`",
        help_en: "",
        help_zh: "",
    }
    "RB040" "not-a-date" {
        en: "`{key}: {value}` is not a date",
        zh: "`{key}: {value}` 不是日期",
        help_en: "write a date as 2024年1月1日 or 2024-01-01",
        help_zh: "日期写成 2024年1月1日 或 2024-01-01",
    }
    "RB041" "dates-out-of-order" {
        en: "`{later}` ({later_date}) is before `{earlier}` ({earlier_date})",
        zh: "`{later}`（{later_date}）早于 `{earlier}`（{earlier_date}）",
        help_en: "a regulation's dates go issued ≤ effective < expires: correct `{later}` or `{earlier}`",
        help_zh: "制度的日期应为 印发 ≤ 生效 < 失效：请改正 `{later}` 或 `{earlier}`",
    }
    "RB042" "not-an-interval" {
        en: "`review_every: {value}` is not an interval",
        zh: "`review_every: {value}` 不是时间间隔",
        help_en: "write it as 2年, 18个月, 2 years or 6 months",
        help_zh: "写成 2年、18个月、2 years 或 6 months",
    }
    "RB043" "unknown-owner" {
        en: "owner `{role}` is not a role of roles.yaml",
        zh: "负责岗位（owner）`{role}` 不在 roles.yaml 中",
        help_en: "",
        help_zh: "",
    }
    "RB044" "supersedes-itself" {
        en: "`{key}` names the regulation itself",
        zh: "`{key}` 写的是本制度自己",
        help_en: "name the id of another regulation",
        help_zh: "请写另一份制度的 id",
    }
    "RB045" "unknown-regulation-id" {
        en: "`{key}` names unknown regulation `{id}`",
        zh: "`{key}` 写的制度 `{id}` 不存在",
        help_en: "",
        help_zh: "",
    }
    "RB046" "superseded-not-repealed" {
        en: "a superseded regulation must be 废止",
        zh: "已被取代的制度，状态必须是“废止”",
        help_en: "add `status: 废止`, or remove `superseded_by`",
        help_zh: "请加上 `status: 废止`，或删去 `superseded_by`",
    }
    "RB047" "superseded-by-another" {
        en: "`{id}` supersedes this regulation, which must then be 废止",
        zh: "`{id}` 取代了本制度，本制度的状态应为“废止”",
        help_en: "add `status: 废止` and `superseded_by: {id}` here, or remove it from `supersedes` in {file}",
        help_zh: "请在此加上 `status: 废止` 和 `superseded_by: {id}`，或从 {file} 的 `supersedes` 中删去它",
    }
    "RB048" "repealed-reference" {
        en: "a regulation in force cites 《{title}》, which is 废止",
        zh: "现行制度引用了已废止的《{title}》",
        help_en: "",
        help_zh: "",
    }
    "RB025" "bad-id" {
        en: "`{id}` cannot be used as an id",
        zh: "`{id}` 不能用作 id",
        help_en: "ids appear in URLs: use letters, digits, `-` and `_`, e.g. `id: caiwu-guanli`",
        help_zh: "id 会出现在网址中：只用字母、数字、`-` 和 `_`，例如 `id: caiwu-guanli`",
    }
    "RB049" "bad-file-name-id" {
        en: "the file name `{id}` cannot be used as the regulation's id",
        zh: "文件名 `{id}` 不能用作制度的 id",
        help_en: "ids appear in URLs: add a line such as `id: caiwu-guanli` (letters, digits, `-`, `_`) to the front-matter, or rename the file",
        help_zh: "id 会出现在网址中：请在 front-matter 中加一行如 `id: caiwu-guanli`（只用字母、数字、`-`、`_`），或给文件改名",
    }
    "RB050" "bad-category" {
        en: "`{category}` cannot be used as a category",
        zh: "`{category}` 不能用作分类",
        help_en: "a category is a folder name in URLs: use letters, digits, `-` and `_`, e.g. `category: caiwu-zichan`",
        help_zh: "分类是网址中的文件夹名：只用字母、数字、`-` 和 `_`，例如 `category: caiwu-zichan`",
    }
    "RB051" "register-groups-span" {
        en: "the column groups span {span} columns but there are {columns}",
        zh: "列分组共跨 {span} 列，但实际有 {columns} 列",
        help_en: "make the `span` values of `groups` add up to the number of `columns`",
        help_zh: "请使 `groups` 中各 `span` 之和等于 `columns` 的列数",
    }
    "RB052" "register-unknown-column" {
        en: "row cell `{key}` is not one of the columns",
        zh: "行中的单元格 `{key}` 不是已列出的列",
        help_en: "columns: {choices}",
        help_zh: "可用的列：{choices}",
    }
    "RB053" "bad-role-id" {
        en: "`{id}` cannot be used as a role id",
        zh: "`{id}` 不能用作岗位 id",
        help_en: "ids appear in URLs: use letters, digits, `-` and `_`, e.g. `id: chuna`",
        help_zh: "id 会出现在网址中：只用字母、数字、`-` 和 `_`，例如 `id: chuna`",
    }
    "RB054" "duplicate-role-id" {
        en: "role id `{id}` is used twice",
        zh: "岗位 id `{id}` 用了两次",
        help_en: "give each role a unique `id`",
        help_zh: "请给每个岗位一个不重复的 `id`",
    }
    "RB055" "unknown-role-kind" {
        en: "unknown role kind `{kind}`",
        zh: "不认识的岗位类型 `{kind}`",
        help_en: "use one of: {choices}",
        help_zh: "请用其中之一：{choices}",
    }
    "RB056" "bad-role-word" {
        en: "`{word}` in `roles:` is neither a clause anchor's list nor a plain role word",
        zh: "`roles:` 中的 `{word}` 既不是条款锚点（后接列表），也不是岗位泛称",
        help_en: "a clause takes a list (`sec8: [出纳]`); a plain word of roles.yaml ({plain}) takes a role name or ~",
        help_zh: "条款锚点后写列表（`sec8: [出纳]`）；roles.yaml 中的泛称（{plain_zh}）后写岗位名称或 ~",
    }
    "RB057" "data-file-yaml" {
        en: "{detail}",
        zh: "{file} 不是有效的 YAML：{detail_zh}",
        help_en: "see the README for the form of {file}",
        help_zh: "{file} 的写法见 README",
    }
    "RB058" "folder-page-front-matter" {
        en: "invalid front-matter: {detail}",
        zh: "文件夹页的 front-matter 无效：{detail_zh}",
        help_en: "a folder page gives its category `title:`, `order:` (or `weight:`) and `summary:` (or `description:`)",
        help_zh: "文件夹页只写本分类的 `title:`、`order:`（或 `weight:`）和 `summary:`（或 `description:`）",
    }
    "RB059" "folders-same-category" {
        en: "the folders `{first}` and `{second}` would both be the category `{id}`",
        zh: "文件夹 `{first}` 和 `{second}` 会成为同一个分类 `{id}`",
        help_en: "rename one of the two folders",
        help_zh: "请给其中一个文件夹改名",
    }
    "RB060" "unreadable-folder" {
        en: "cannot read: {error}",
        zh: "无法读取：{error_zh}",
        help_en: "check the folder's permissions",
        help_zh: "请检查文件夹的访问权限",
    }
    "RB061" "skipped-link" {
        en: "the link is skipped: {why}",
        zh: "已跳过这个符号链接：{why_zh}",
        help_en: "copy the file into content/ instead, or link to a file inside the site folder",
        help_zh: "请把文件复制到 content/ 中，或改为链接到站点文件夹内的文件",
    }
    "RB062" "role-name-twice" {
        en: "`{name}` names both {other} and {role}",
        zh: "`{name}` 同时指 {other} 和 {role}",
        help_en: "a name or alias may belong to one role only",
        help_zh: "一个名称或别名只能属于一个岗位",
    }
    "RB063" "term-unknown-regulation" {
        en: "term `{term}` cites unknown regulation `{id}`",
        zh: "术语 `{term}` 引用的制度 `{id}` 不存在",
        help_en: "use a regulation id",
        help_zh: "请写制度的 id",
    }
    "RB064" "procedure-yaml" {
        en: "{detail}",
        zh: "流程文件不是有效的 YAML：{detail_zh}",
        help_en: "see the README, section \"Procedures\"",
        help_zh: "流程文件的写法见 README 的 “Procedures” 一节",
    }
    "RB065" "procedure-unknown-regulation" {
        en: "procedure `{id}` belongs to unknown regulation `{regulation}`",
        zh: "流程 `{id}` 所属的制度 `{regulation}` 不存在",
        help_en: "",
        help_zh: "",
    }
    "RB066" "procedure-no-steps" {
        en: "the procedure has no steps",
        zh: "这个流程没有步骤",
        help_en: "list its steps under `steps:`",
        help_zh: "请在 `steps:` 下列出各个步骤",
    }
    "RB067" "duplicate-procedure-id" {
        en: "procedure id `{id}` is used twice",
        zh: "流程 id `{id}` 用了两次",
        help_en: "give each procedure a unique `id`",
        help_zh: "请给每个流程一个不重复的 `id`",
    }
    "RB068" "editorial-order-no-note" {
        en: "an editorial order needs an `order_note:`",
        zh: "编者排定的步骤顺序（`editorial_order`）需要写 `order_note:`",
        help_en: "say what the order of the steps rests on (the clause or the box texts that give it)",
        help_zh: "请说明步骤顺序的依据（给出该顺序的条款或流程图方框文字）",
    }
    "RB069" "duplicate-condition-id" {
        en: "condition id `{id}` is used twice",
        zh: "条件 id `{id}` 用了两次",
        help_en: "give each condition of the procedure a unique `id`",
        help_zh: "请给流程中的每个条件一个不重复的 `id`",
    }
    "RB070" "condition-unknown-choice" {
        en: "condition `{id}` is asked when `{when}`, which is no choice of an earlier condition",
        zh: "条件 `{id}` 在 `{when}` 时提出，但 `{when}` 不是前面任何条件的选项",
        help_en: "name the `id` of a choice listed above",
        help_zh: "请写上面列出的某个选项的 `id`",
    }
    "RB071" "condition-no-choices" {
        en: "condition `{id}` has no choices",
        zh: "条件 `{id}` 没有选项",
        help_en: "list its answers under `choices:`",
        help_zh: "请在 `choices:` 下列出各个答案",
    }
    "RB072" "duplicate-choice-id" {
        en: "choice id `{id}` is used twice",
        zh: "选项 id `{id}` 用了两次",
        help_en: "give each choice of the procedure a unique `id`",
        help_zh: "请给流程中的每个选项一个不重复的 `id`",
    }
    "RB073" "bounds-without-unit" {
        en: "choice `{id}` has `max`/`under` but its condition has no `unit`",
        zh: "选项 `{id}` 写了 `max`/`under`，但所属条件没有 `unit`",
        help_en: "give the condition a `unit:` (天, 元) or drop the bounds",
        help_zh: "请给条件加上 `unit:`（天、元），或删去上下限",
    }
    "RB074" "step-unknown-choice" {
        en: "step `{step}` names unknown choice `{when}`",
        zh: "步骤 `{step}` 写了不存在的选项 `{when}`",
        help_en: "`when:` names the `id` of a choice under `conditions:`",
        help_zh: "`when:` 应写 `conditions:` 下某个选项的 `id`",
    }
    "RB075" "step-no-source" {
        en: "step `{step}` cites neither a clause nor a flowchart box",
        zh: "步骤 `{step}` 既没有引用条款，也没有对应的流程图方框",
        help_en: "give it the `clause:` that states it, or the `box:` (line of the original) it stands in",
        help_zh: "请写出规定这一步骤的 `clause:`，或它对应的 `box:`（原件中的一行）",
    }
    "RB076" "site-yaml-unreadable" {
        en: "cannot read: {error}",
        zh: "无法读取：{error_zh}",
        help_en: "check the file's permissions",
        help_zh: "请检查文件的访问权限",
    }
    "RB077" "site-yaml-syntax" {
        en: "{detail}",
        zh: "site.yaml 有误：{detail_zh}",
        help_en: "see the README, section \"Writing regulations\", for the keys site.yaml accepts",
        help_zh: "site.yaml 可用的键见 README 的 “Writing regulations” 一节",
    }
    "RB078" "unknown-publish-level" {
        en: "unknown publish_level `{value}`",
        zh: "不认识的发布密级（publish_level）`{value}`",
        help_en: "use one of: {choices}",
        help_zh: "请用其中之一：{choices}",
    }
    "RB079" "bad-base-path" {
        en: "base_path `{value}` {problem}",
        zh: "base_path `{value}` {problem_zh}",
        help_en: "write the URL path the site is served under, like `/handbook/`, or `\"\"`",
        help_zh: "请写站点所在的网址路径，如 `/handbook/`，或写 `\"\"`",
    }
    "RB080" "duplicate-category" {
        en: "category `{id}` is listed twice",
        zh: "分类 `{id}` 列了两次",
        help_en: "keep one entry per category folder",
        help_zh: "每个分类文件夹只保留一项",
    }
    "RB081" "site-scheme-not-allowed" {
        en: "`{section}: {name}` links to `{dest}`: the scheme `{scheme}:` is not allowed",
        zh: "`{section}: {name}` 链接到 `{dest}`：不允许使用 `{scheme}:` 协议",
        help_en: "give an address starting with {schemes}, or the path of a file under content/ (it is copied to files/)",
        help_zh: "请写以 {schemes} 开头的地址，或 content/ 下某个文件的路径（该文件会复制到 files/）",
    }
    "RB082" "copied-file-not-a-path" {
        en: "{section}: `{dest}` is not a path of a file under content/",
        zh: "{section}：`{dest}` 不是 content/ 下文件的路径",
        help_en: "give the file's path from content/, e.g. `forms/yinzhang.docx` (no `..`, no hidden parts), or an http(s) address",
        help_zh: "请写从 content/ 起的文件路径，例如 `forms/yinzhang.docx`（不能有 `..` 或隐藏的部分），或写 http(s) 地址",
    }
    "RB083" "copied-file-missing" {
        en: "{section}: `{file}` does not exist (looked for {looked})",
        zh: "{section}：`{file}` 不存在（查找的是 {looked}）",
        help_en: "put the file there, or correct the path",
        help_zh: "请把文件放到该处，或改正路径",
    }
    "RB084" "copied-file-unreadable" {
        en: "{section}: cannot read `{file}`: {error}",
        zh: "{section}：无法读取 `{file}`：{error_zh}",
        help_en: "check the file's permissions",
        help_zh: "请检查文件的访问权限",
    }
    "RB085" "copied-file-link-outside" {
        en: "{section}: `{file}` is a symbolic link to {target}, outside the site folder",
        zh: "{section}：`{file}` 是符号链接，指向站点文件夹之外的 {target}",
        help_en: "copy the file into the site folder instead of linking to it",
        help_zh: "请把文件复制到站点文件夹中，不要用链接",
    }
    "RB086" "copied-file-hidden" {
        en: "{section}: `{file}` leads to a hidden file or folder ({inside})",
        zh: "{section}：`{file}` 指向隐藏的文件或文件夹（{inside}）",
        help_en: "hidden files are never published: copy the file to a visible place",
        help_zh: "隐藏文件不会发布：请把文件复制到非隐藏的位置",
    }
    "RB087" "copied-file-not-regular" {
        en: "{section}: `{file}` is not a regular file",
        zh: "{section}：`{file}` 不是普通文件",
        help_en: "give the path of a file (a folder, device or pipe is never copied)",
        help_zh: "请写一个文件的路径（文件夹、设备或管道不会被复制）",
    }
    "RB088" "copied-file-is-source" {
        en: "{section}: `{file}` is a source file of the handbook ({inside}): copying it would publish its raw text, drafts and classified regulations included",
        zh: "{section}：`{file}` 是手册的源文件（{inside}）：复制它会公开其原文，草稿和涉密制度也不例外",
        help_en: "give the form's or document's own file (.docx, .pdf …); a regulation is linked by citing its title",
        help_zh: "请写表格或文件本身（.docx、.pdf 等）；要链接某份制度，引用其标题即可",
    }
    "RB089" "static-link-outside" {
        en: "static/ is a symbolic link to a folder outside the site folder",
        zh: "static/ 是符号链接，指向站点文件夹之外的文件夹",
        help_en: "copy the files into static/ instead of linking to them",
        help_zh: "请把文件复制到 static/ 中，不要用链接",
    }
    "RB090" "procedure-unknown-clause" {
        en: "clause `{clause}` does not exist",
        zh: "条款 `{clause}` 不存在",
        help_en: "see the anchors on the page of {id}",
        help_zh: "请查看 {id} 页面上的锚点",
    }
    "RB091" "unknown-risk-point" {
        en: "risk point `{point}` does not exist",
        zh: "风险点 `{point}` 不存在",
        help_en: "write `regulation-id#risk-N`: the N-th 廉政风险点 of that regulation's risk register",
        help_zh: "请写成 `制度id#risk-N`，即该制度风险登记表中的第 N 个廉政风险点",
    }
    "RB092" "refused-address" {
        en: "{what} to `{dest}`: the scheme `{scheme}:` is not allowed, so the {what} is left out and its text shown as it is",
        zh: "{what_zh}指向 `{dest}`：不允许使用 `{scheme}:` 协议，已去掉该{what_zh}，其文字照原样显示",
        help_en: "links may go to {schemes}, a page of the handbook (`@id#anchor`) or a relative path",
        help_zh: "链接可指向 {schemes} 地址、本手册的页面（`@id#锚点`）或相对路径",
    }
    "RB093" "refused-html-address" {
        en: "raw HTML `{attr}`: the address is not allowed, so the attribute is removed",
        zh: "HTML 代码 `{attr}`：不允许该地址，已去掉这个属性",
        help_en: "links may go to {schemes}, a page of the handbook (`@id#anchor`) or a relative path",
        help_zh: "链接可指向 {schemes} 地址、本手册的页面（`@id#锚点`）或相对路径",
    }
    "RB094" "roles-unknown-clause" {
        en: "`roles:` names clause `{anchor}`, which this regulation does not have",
        zh: "`roles:` 中的条款 `{anchor}` 在本制度中不存在",
        help_en: "use a clause anchor of this regulation (sec1, art3-item2 …) or `preamble`",
        help_zh: "请用本制度的条款锚点（sec1、art3-item2 …）或 `preamble`",
    }
    "RB095" "name-too-long" {
        en: "{what} is {chars} characters long; at most {max} are allowed",
        zh: "{what_zh}长 {chars} 个字，最多允许 {max} 个",
        help_en: "shorten the title; put a longer description in `summary:`",
        help_zh: "请缩短标题；较长的说明写在 `summary:` 中",
    }
    "RB096" "nested-too-deep" {
        en: "the text is nested more than {max} levels deep here (block quotes, lists, emphasis or HTML elements inside one another)",
        zh: "此处正文嵌套超过 {max} 层（引用、列表、强调或 HTML 元素层层套叠）",
        help_en: "flatten it: at most {max} levels are allowed, because deeper text cannot be rendered safely; each `>` or list marker at the start of a line, `*` or `_` of emphasis and unclosed HTML tag opens a level",
        help_zh: "请减少嵌套：最多允许 {max} 层，更深的文字无法安全显示；行首的每个 `>` 或列表符号、强调用的 `*` 或 `_`、未闭合的 HTML 标签都会增加一层",
    }
    "RB097" "git-history-unreadable" {
        en: "the git history cannot be read: {error}",
        zh: "无法读取 git 历史：{error_zh}",
        help_en: "the 修订记录 pages show the `revisions:` front-matter only; check `compare_with` in site.yaml",
        help_zh: "修订记录页面只显示 front-matter 中的 `revisions:`；请检查 site.yaml 中的 `compare_with`",
    }
    "RB098" "cannot-create" {
        en: "cannot create `{path}`: {why}",
        zh: "无法创建 `{path}`：{why_zh}",
        help_en: "give the category folder and the file name, e.g. `caiwu-zichan/chailv-guanli`",
        help_zh: "请写分类文件夹和文件名，例如 `caiwu-zichan/chailv-guanli`",
    }
    "RB099" "as-of-failed" {
        en: "--as-of {day}: {why}",
        zh: "--as-of {day}：{why_zh}",
        help_en: "--as-of reads the git history of the folder holding content/: commit the content with git, or leave --as-of out",
        help_zh: "--as-of 读取 content/ 所在文件夹的 git 历史：请用 git 提交内容，或不用 --as-of",
    }
    // Withheld text and foreign files on every output (issue 23): RB100–RB119.
    "RB100" "history-exclude-not-a-commit" {
        en: "`history_exclude:` entry `{value}` is not a commit hash",
        zh: "`history_exclude:` 中的 `{value}` 不是提交编号（commit hash）",
        help_en: "write the commit's hash (at least its first 7 hex digits), as `git log --oneline` shows it",
        help_zh: "请写提交编号（至少前 7 位十六进制数字），即 `git log --oneline` 显示的编号",
    }
    "RB101" "history-exclude-unknown" {
        en: "`history_exclude:` entry `{value}` names no commit of the content's history",
        zh: "`history_exclude:` 中的 `{value}` 不是 content/ 历史中的提交",
        help_en: "check the hash with `git log --oneline`; a commit that is not found keeps nothing out",
        help_zh: "请用 `git log --oneline` 核对编号；找不到的提交不能排除任何内容",
    }
    "RB102" "procedure-clause-withheld" {
        en: "`{clause}` is a clause of a regulation that is not published (draft or classified): the link to it is left out",
        zh: "`{clause}` 是未发布（草稿或涉密）制度的条款：已去掉指向它的链接",
        help_en: "publish that regulation, or name a published clause here; the rest of the procedure is shown",
        help_zh: "请发布该制度，或改写为已发布的条款；流程的其余部分照常显示",
    }
    "RB103" "procedure-step-withheld" {
        en: "this step rests on `{clause}`, a clause of a regulation that is not published (draft or classified): it is left out of the procedure",
        zh: "此步骤依据的 `{clause}` 是未发布（草稿或涉密）制度的条款：已从流程中略去该步骤",
        help_en: "publish that regulation, or base the step on a published clause",
        help_zh: "请发布该制度，或让该步骤依据已发布的条款",
    }
    "RB104" "risk-point-withheld" {
        en: "risk point `{point}` belongs to a regulation that is not published (draft or classified): it is left out",
        zh: "风险点 `{point}` 属于未发布（草稿或涉密）的制度：已略去",
        help_en: "publish that regulation, or remove `risk_point:`",
        help_zh: "请发布该制度，或删去 `risk_point:`",
    }
    "RB105" "term-source-withheld" {
        en: "term `{term}` is defined in `{id}`, which is not published (draft or classified): the term is left out of the glossary",
        zh: "术语 `{term}` 出自未发布（草稿或涉密）的制度 `{id}`：已从术语表中略去",
        help_en: "publish that regulation, or give the term another source",
        help_zh: "请发布该制度，或为该术语另写出处",
    }
    "RB106" "exclusion-key-empty" {
        en: "`{key}:` has no value; it decides whether the regulation is published",
        zh: "`{key}:` 没有写值；它决定这份制度是否发布",
        help_en: "write `draft: true` or `draft: false`, or the classification level; the document is not built until then",
        help_zh: "请写 `draft: true` 或 `draft: false`，或写明密级；改正之前这份文件不会生成",
    }
    "RB107" "merge-key" {
        en: "the YAML merge key `<<:` is not read; what it holds (a `draft:` or `classification:` too) would be ignored",
        zh: "不支持 YAML 合并键 `<<:`；其中的内容（包括 `draft:` 或 `classification:`）都会被忽略",
        help_en: "write each key on its own line in the front-matter",
        help_zh: "请在 front-matter 中逐行写出每个键",
    }
    "RB108" "language-not-a-tag" {
        en: "`language: {value}` is not a language tag",
        zh: "`language: {value}` 不是语言标记",
        help_en: "write a language tag such as `zh-CN` or `en`",
        help_zh: "请写语言标记，例如 `zh-CN` 或 `en`",
    }
    "RB109" "not-a-regular-file" {
        en: "`{path}` is not a regular file (a pipe or device): skipped",
        zh: "`{path}` 不是普通文件（是管道或设备）：已跳过",
        help_en: "put the regulation's text in an ordinary file",
        help_zh: "请把制度正文保存为普通文件",
    }
    // The real cause first (src/rootcause.rs).
    "RB120" "unchecked-because-unreadable" {
        en: "{count} more problem(s) not checked because {file} cannot be read",
        zh: "另有 {count} 个问题因 {file} 无法读取而未检查",
        help_en: "fix {file} first (the error above); the problems that followed from it are checked again then",
        help_zh: "请先改正 {file}（见上一条错误）；改正后再检查由它引起的问题",
    }
    // YAML slips at their own place (src/content/slips.rs).
    "RB121" "yaml-tab-indent" {
        en: "{what} is not valid YAML: a tab in the indentation",
        zh: "{what_zh}不是有效的 YAML：缩进里有制表符（Tab）",
        help_en: "indent with spaces only (two per level); YAML does not allow tabs",
        help_zh: "只用空格缩进（每层两个空格）；YAML 不允许用 Tab 缩进",
    }
    "RB122" "yaml-full-width-colon" {
        en: "{what} is not valid YAML: a full-width colon `：` after the key",
        zh: "{what_zh}不是有效的 YAML：键后面是全角冒号 `：`",
        help_en: "write a half-width colon and a space: `key: value`",
        help_zh: "改为半角冒号加空格：`键: 值`",
    }
    "RB123" "yaml-no-space-after-colon" {
        en: "{what} is not valid YAML: no space after the colon",
        zh: "{what_zh}不是有效的 YAML：冒号后面缺少空格",
        help_en: "put a space after the colon: `key: value`",
        help_zh: "在冒号后加一个空格：`键: 值`",
    }
    "RB124" "yaml-unclosed-quote" {
        en: "{what} is not valid YAML: the quote that opens this value is not closed on its line",
        zh: "{what_zh}不是有效的 YAML：这个值开头的引号在本行没有闭合",
        help_en: "close the quote at the end of the value (the same kind of quote, half-width)",
        help_zh: "在值的末尾补上同样的半角引号",
    }
    "RB125" "yaml-unclosed-bracket" {
        en: "{what} is not valid YAML: the list or map that opens here is not closed on its line",
        zh: "{what_zh}不是有效的 YAML：此处开始的列表（或映射）在本行没有闭合",
        help_en: "close it with `]` (or `}`), and separate the items with half-width commas",
        help_zh: "用 `]`（或 `}`）闭合，各项之间用半角逗号分隔",
    }
    // Moving and removing (src/content/load/moved.rs, issue 24).
    "RB126" "old-id-invalid" {
        en: "`old_ids:` entry `{id}` cannot be an id",
        zh: "`old_ids:` 中的 `{id}` 不能作为 id",
        help_en: "write the former id exactly as it was (no `/ \\ # ? % \" ' < > & : * |`, no spaces at either end)",
        help_zh: "请照原样写出以前的 id（不含 `/ \\ # ? % \" ' < > & : * |`，两端不留空格）",
    }
    "RB127" "old-id-taken" {
        en: "`old_ids:` entry `{id}` is the id or a former id of {other}: its address belongs to that document",
        zh: "`old_ids:` 中的 `{id}` 是 {other} 的 id（或以前的 id）：这个地址属于该文件",
        help_en: "remove `{id}` from this list; an old address is kept by one regulation only, and never over a current page",
        help_zh: "请从本列表中删去 `{id}`；一个旧地址只能由一份制度保留，且不能占用现有页面的地址",
    }
    "RB128" "procedure-cites-old-id" {
        en: "`{cited}` cites `{old}`, a former id of `{new}` (its `old_ids:`): read as `{now}`",
        zh: "`{cited}` 引用的 `{old}` 是 `{new}` 以前的 id（见其 `old_ids:`）：已按 `{now}` 处理",
        help_en: "write `{now}` here",
        help_zh: "请在此处改写为 `{now}`",
    }
    "RB129" "procedure-unknown-regulation-of-clause" {
        en: "clause `{clause}`: regulation `{regulation}` does not exist (removed, or its id changed)",
        zh: "条款 `{clause}`：制度 `{regulation}` 不存在（已删除，或其 id 已更改）",
        help_en: "",
        help_zh: "",
    }
    // A site's template that cannot be used (src/render/template_errors.rs).
    "RB130" "site-template-syntax" {
        en: "template `{name}` cannot be parsed: {detail}",
        zh: "模板 `{name}` 的写法有误，无法解析：{detail_zh}",
        help_en: "check the template tags here: each written out in full, and each block closed (if … endif, for … endfor, block … endblock)",
        help_zh: "请检查此处的模板标签：是否写完整，各个块是否都已结束（if … endif、for … endfor、block … endblock）",
    }
    "RB131" "site-template-unknown-name" {
        en: "template `{name}`: `{item}` is not defined (no variable, filter or function of that name)",
        zh: "模板 `{name}`：`{item}` 未定义（没有这个名称的变量、过滤器或函数）",
        help_en: "see the default theme's template of the same name (themes/default/templates/) for what a page provides",
        help_zh: "页面可用的变量见默认主题中同名的模板（themes/default/templates/）",
    }
    "RB132" "site-template-render" {
        en: "template `{name}` failed while a page was made: {detail}",
        zh: "模板 `{name}` 在生成页面时出错：{detail_zh}",
        help_en: "compare it with the default theme's template of the same name (themes/default/templates/)",
        help_zh: "请与默认主题中同名的模板（themes/default/templates/）对照检查",
    }
    // Handbooks written for other generators (issue 29): authors' links, template tags, titles.
    "RB200" "broken-page-link" {
        en: "the link to `{dest}` leads to no page, folder or file of the handbook; its text is shown unlinked",
        zh: "链接 `{dest}` 指不到本手册的任何页面、文件夹或文件，其文字照原样显示（不加链接）",
        help_en: "link to a Markdown file (`../travel/index.md`, `./tock.md#billing`), a folder (`/tools/slack/`) or a file beside the page, as the path from this file or from content/",
        help_zh: "请链接到 Markdown 文件（`../travel/index.md`、`./tock.md#billing`）、文件夹（`/tools/slack/`）或页面旁的文件，路径从本文件或 content/ 算起",
    }
    "RB201" "page-link-no-anchor" {
        en: "the link to `{dest}`: {page} has no heading or clause `#{anchor}`, so the link goes to the top of the page",
        zh: "链接 `{dest}`：{page} 中没有标题或条款 `#{anchor}`，链接改为指向该页开头",
        help_en: "a heading's anchor is its text in lower case with spaces as `-` (`## Two-factor authentication` is `#two-factor-authentication`); a page's contents list every anchor",
        help_zh: "标题的锚点是其文字（英文小写，空格写成 `-`），如 `## Two-factor authentication` 是 `#two-factor-authentication`；各页的“本页目录”列出所有锚点",
    }
    "RB202" "page-link-unpublished" {
        en: "the link to `{dest}` leads to a page that is not published (draft or classified); its text is shown unlinked",
        zh: "链接 `{dest}` 指向未发布（草稿或涉密）的页面，其文字照原样显示（不加链接）",
        help_en: "publish that page, or remove the link",
        help_zh: "请发布该页面，或删去这个链接",
    }
    "RB203" "template-syntax" {
        en: "{count} {kind} of another site generator's template language ({first}) are not Markdown: left out of the pages ({places})",
        zh: "{count} 处其他网站生成器的模板代码（{kind_zh}，如 {first}）不是 Markdown，已从页面中去掉（{places}）",
        help_en: "rulebook does not run Jekyll's Liquid or Hugo's shortcodes: write what they produced as Markdown text, or delete them; `check --format json` lists every place",
        help_zh: "rulebook 不执行 Jekyll 的 Liquid 或 Hugo 的 shortcode：请把它们生成的内容写成 Markdown 正文，或删去；`check --format json` 列出每一处",
    }
    "RB204" "ambiguous-title" {
        en: "《{title}》 names more than one page: {candidates}; it is not linked",
        zh: "《{title}》对应不止一个页面：{candidates}；未加链接",
        help_en: "link the one meant explicitly, e.g. `[{title}](@{first})`, or give the pages different titles or a `subtitle:`",
        help_zh: "请用显式链接指明，例如 `[{title}](@{first})`，或给这些页面不同的标题或 `subtitle:`",
    }
    "RB160" "synonyms-yaml-syntax" {
        en: "synonyms.yaml: {detail}",
        zh: "synonyms.yaml 有误：{detail_zh}",
        help_en: "write a list of groups of words search treats as one, e.g. `- [请假, 休假]` (README, \"Search\")",
        help_zh: "请写成词组的列表，每组是搜索视为同义的词，例如 `- [请假, 休假]`（见 README 的 “Search” 一节）",
    }
    // The bound edition (`rulebook pdf`): typefaces.
    "RB170" "print-fonts-fallback" {
        en: "the 公文 typefaces {missing} are not installed: the book is set in {used}",
        zh: "未安装公文字体 {missing}：本书改用 {used} 排印",
        help_en: "install them (or copy the font files into the site's fonts/ folder), or set `print: fonts: noto` in site.yaml",
        help_zh: "请安装这些字体（或把字体文件复制到站点的 fonts/ 文件夹），或在 site.yaml 中设置 `print: fonts: noto`",
    }
    "RB171" "print-no-fonts" {
        en: "no Chinese font found to print with",
        zh: "找不到可用于排印的中文字体",
        help_en: "install Noto CJK (or the 公文 typefaces), or copy the font files into the site's fonts/ folder",
        help_zh: "请安装思源/Noto CJK 字体（或公文字体），或把字体文件复制到站点的 fonts/ 文件夹",
    }
    "RB140" "stale-step" {
        en: "step “{step}” is no longer the words of {clause}, which now reads: {now}",
        zh: "步骤“{step}”已不是{clause}的原文；该条款现为：{now}",
        help_en: "a checklist step quotes its clause: copy the clause's new words into the step (and check its conditions)",
        help_zh: "清单步骤须引用条款原文：请把条款的新文字抄入步骤（并核对其条件）",
    }
    "RB141" "label-bound-misread" {
        en: "choice “{label}”: its bound does not read the number as the text does",
        zh: "选项“{label}”的数值界限与原文对本数的规定不一致",
        help_en: "以上、以下、以内、届满 include the number (max:), 超过、不满、不足、以外 do not (under:); a phrase such as 超出…以上 does not say: give the number itself a choice of its own that says so",
        help_zh: "以上、以下、以内、届满包括本数（max:），超过、不满、不足、以外不包括本数（under:）；“超出…以上”之类未说明是否包括本数：请为本数单设一个选项并写明",
    }
    "RB142" "term-explained-in-unknown-clause" {
        en: "term `{term}`: `explained_in` names `{anchor}`, which `{id}` does not have",
        zh: "术语 `{term}` 的 `explained_in` 所列条款 `{anchor}` 在 `{id}` 中不存在",
        help_en: "list the anchors of the clauses of `source:` that explain the term (as its page shows them, e.g. sec1-item4)",
        help_zh: "请列出 `source:` 所指制度中解释该术语的条款锚点（以制度页面所示为准，例如 sec1-item4）",
    }
}

macro_rules! hints {
    ($($name:literal { en: $en:literal, zh: $zh:literal $(,)? })*) => {
        /// Advice chosen per case.
        pub const HINTS: &[Hint] = &[$(Hint { name: $name, en: $en, zh: $zh }),*];
    };
}

hints! {
    "did-you-mean" {
        en: "did you mean `{near}`?",
        zh: "是不是要写 `{near}`？",
    }
    "known-keys" {
        en: "known keys: {choices}",
        zh: "可用的键：{choices}",
    }
    "role-did-you-mean" {
        en: "did you mean `{near}`? Roles are listed in content/roles.yaml",
        zh: "是不是要写 `{near}`？岗位列在 content/roles.yaml 中",
    }
    "title-did-you-mean" {
        en: "did you mean 《{near}》? Otherwise add the name to that regulation's `aliases:`",
        zh: "是不是指《{near}》？否则请把这个名称加到该制度的 `aliases:` 中",
    }
    "title-none" {
        en: "no regulation of the handbook has this title or alias; add `aliases:` to the one meant, or correct the title",
        zh: "本手册没有以此为标题或别名的制度：请在所指的制度中加 `aliases:`，或改正标题",
    }
    "explicit-form" {
        en: "write `@regulation-id#anchor`",
        zh: "请写成 `@制度id#锚点`",
    }
    "anchor-scheme" {
        en: "see the anchor scheme in the README",
        zh: "锚点的写法见 README",
    }
    "regulation-id" {
        en: "use a regulation id (the file name unless `id:` says otherwise)",
        zh: "请写制度的 id（没有写 `id:` 时就是文件名）",
    }
    "superseded-by" {
        en: "it was superseded by 《{next}》: cite that instead",
        zh: "它已被《{next}》取代：请改为引用后者",
    }
    "cite-in-force" {
        en: "cite the regulation now in force, or revise this clause",
        zh: "请引用现行的制度，或修改这一条款",
    }
    "role-add" {
        en: "add it to content/roles.yaml or use an existing role name",
        zh: "请把它加入 content/roles.yaml，或使用已有的岗位名称",
    }
    "reserved-role-id" {
        en: "roles/index.html and roles/matrix.html are the role index and the matrix: choose another id",
        zh: "roles/index.html 和 roles/matrix.html 是岗位索引和岗位矩阵页：请另选一个 id",
    }
    "anchor-did-you-mean" {
        en: "did you mean `{near}`? (anchors of {id}: art3, sec2-sub9 …)",
        zh: "是不是要写 `{near}`？（{id} 的锚点形如 art3、sec2-sub9 …）",
    }
    "moved-did-you-mean" {
        en: "did you mean `{near}`? Write `{near}` here; or, if `{near}` is the regulation renamed, add `old_ids: [{cited}]` to its front-matter, which also keeps its old address",
        zh: "是不是要写 `{near}`？请在此处改写为 `{near}`；如果 `{near}` 就是改名后的这份制度，也可以在它的 front-matter 中加上 `old_ids: [{cited}]`，旧地址也随之保留",
    }
    "moved-or-removed" {
        en: "if the regulation was removed, delete this citation (or this procedure); if its id changed, write the new id here, or add `old_ids: [{cited}]` to its front-matter, which also keeps its old address",
        zh: "如果该制度已删除，请删去此处引用（或整个流程）；如果其 id 已更改，请在此处写新的 id，或在该制度的 front-matter 中加上 `old_ids: [{cited}]`，旧地址也随之保留",
    }
    "roles-anchor-did-you-mean" {
        en: "did you mean `{near}`? use a clause anchor of this regulation (sec1, art3-item2 …) or `preamble`",
        zh: "是不是要写 `{near}`？请用本制度的条款锚点（sec1、art3-item2 …）或 `preamble`",
    }
    "alias-too-long" {
        en: "shorten the alias to the name the text uses between 《》, or remove it",
        zh: "请把别名缩短为正文中《》内使用的名称，或删去它",
    }
}

/// What the YAML parser says (libyaml's words, through serde_yaml) and what it means in Chinese:
/// the syntax problems editors meet. A problem not listed is shown as the parser words it.
pub const YAML_PROBLEMS: &[(&str, &str)] = &[
    (
        "did not find expected ',' or ']'",
        "`[` 开始的列表没有闭合：缺少 `,` 或 `]`",
    ),
    (
        "did not find expected ',' or '}'",
        "`{` 开始的内容没有闭合：缺少 `,` 或 `}`",
    ),
    (
        "mapping values are not allowed in this context",
        "此处不能再出现 `键: 值`：值里有冒号时请加引号，或检查缩进",
    ),
    (
        "found a tab character that violates indentation",
        "缩进里有制表符（Tab）：YAML 只能用空格缩进",
    ),
    (
        "found unexpected end of stream",
        "文字意外结束：引号没有闭合？",
    ),
    (
        "found character that cannot start any token",
        "值不能以这个字符开头（如 `@`、`` ` ``）：请给值加引号",
    ),
    (
        "unknown anchor",
        "值以 `*` 开头，被当作未定义的锚点：请给值加引号",
    ),
    (
        "did not find expected key",
        "此处应是一个 `键:`：缩进没有对齐，或引号后面还有文字？",
    ),
    ("could not find expected ':'", "缺少 `:`"),
    ("did not find expected node content", "缺少值"),
    (
        "could not find expected directive name",
        "以 `%` 开头的行不是有效的 YAML：请给值加引号",
    ),
    (
        "did not find expected alphabetic or numeric character",
        "`&` 或 `*` 后缺少名称：值以这些符号开头时请加引号",
    ),
    (
        "block sequence entries are not allowed in this context",
        "此处不能开始 `- ` 列表：列表项请另起一行，并比上一行多缩进",
    ),
    (
        "found undefined tag handle",
        "值以 `!` 开头，被当作未定义的标签：请给值加引号",
    ),
    (
        "deserializing from YAML containing more than one document is not supported",
        "这里只能有一个 YAML 文档：多了一行 `---`？",
    ),
    ("expected `key: value` pairs", "应为一行一个 `键: 值`"),
];

/// The arguments of a YAML problem's message: the parser's `detail`, and `detail_zh`, its meaning
/// in Chinese where [`YAML_PROBLEMS`] knows it (the parser's words otherwise).
pub fn yaml_detail(detail: String) -> Vec<(&'static str, String)> {
    let zh = YAML_PROBLEMS
        .iter()
        .find(|(en, _)| *en == detail)
        .map_or_else(|| detail.clone(), |(_, zh)| (*zh).to_string());
    vec![("detail", detail), ("detail_zh", zh)]
}

/// A sentence the command line prints around the diagnostics (summaries, the preview server's
/// lines), in each language; `{name}` marks an argument, as in the catalogue.
#[derive(Debug)]
pub struct Words {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// Every sentence of the command line's own.
pub const TERMINAL: &[Words] = &[
    Words {
        key: "built",
        en: "Built {documents} documents, {clauses} clauses, {files} files ({kib} KiB) into {out} in {ms} ms ({stages})",
        zh: "已生成 {documents} 篇制度、{clauses} 个条款、{files} 个文件（{kib} KiB），输出到 {out}，用时 {ms} 毫秒（{stages}）",
    },
    Words {
        key: "build-failed-errors",
        en: "Build failed: {errors} error(s). The previous output was left untouched.",
        zh: "生成失败：{errors} 个错误。原有输出未作改动。",
    },
    Words {
        key: "build-failed-warnings",
        en: "Build failed: {warnings} warning(s), and warnings are denied. The previous output was left untouched.",
        zh: "生成失败：{warnings} 个警告，且设置了警告即失败。原有输出未作改动。",
    },
    Words {
        key: "build-failed",
        en: "Build failed. The previous output was left untouched.",
        zh: "生成失败。原有输出未作改动。",
    },
    Words {
        key: "checked",
        en: "Checked {documents} documents, {clauses} clauses, {references} references: {errors} error(s), {warnings} warning(s)",
        zh: "已检查 {documents} 篇制度、{clauses} 个条款、{references} 处引用：{errors} 个错误，{warnings} 个警告",
    },
    Words {
        key: "more-like-this",
        en: "  … and {count} more like this{code}: {places}",
        zh: "  … 另有 {count} 处同类问题{code}：{places}",
    },
    Words {
        key: "more-kinds",
        en: "… {kinds} more kind(s) of problem ({count} diagnostics) not shown: --verbose shows them all, --format json lists every one",
        zh: "… 另有 {kinds} 类问题（共 {count} 条）未显示：加 --verbose 全部显示，--format json 逐条列出",
    },
    Words {
        key: "here",
        en: "here",
        zh: "此处",
    },
    Words {
        key: "serving",
        en: "Serving http://{addr}/ — watching content/, templates/ and static/ under {root}; Ctrl-C stops.",
        zh: "预览地址 http://{addr}/ —— 正在监视 {root} 下的 content/、templates/ 和 static/；按 Ctrl-C 停止。",
    },
    Words {
        key: "serve-built",
        en: "Built in {ms} ms.",
        zh: "已生成，用时 {ms} 毫秒。",
    },
    Words {
        key: "serve-rebuilt",
        en: "Rebuilt in {ms} ms ({pages} page(s) changed).",
        zh: "已重新生成，用时 {ms} 毫秒（{pages} 个页面有变化）。",
    },
    Words {
        key: "serve-quick",
        en: "Updated {ids} in {ms} ms; the rest of the handbook follows.",
        zh: "已更新 {ids}，用时 {ms} 毫秒；手册其余部分随后更新。",
    },
    Words {
        key: "serve-failed",
        en: "Build failed after {ms} ms; the last good pages are still served.",
        zh: "生成失败（用时 {ms} 毫秒）；仍在提供上一次成功生成的页面。",
    },
    Words {
        key: "printed",
        en: "Printed {documents} documents into {out} ({kib} KiB) in {s} s",
        zh: "已排印 {documents} 篇制度到 {out}（{kib} KiB），用时 {s} 秒",
    },
    Words {
        key: "print-failed",
        en: "Printing failed: the content has errors.",
        zh: "排印失败：内容有错误。",
    },
    Words {
        key: "created",
        en: "Created {file} (a draft: delete `draft: true` to publish it).",
        zh: "已创建 {file}（草稿：删去 `draft: true` 即可发布）。",
    },
    Words {
        key: "error",
        en: "error",
        zh: "错误",
    },
    Words {
        key: "help",
        en: "help",
        zh: "提示",
    },
    // The build's stages, as the progress line on a terminal names them.
    Words {
        key: "stage-load",
        en: "load…",
        zh: "读取文件…",
    },
    Words {
        key: "stage-history",
        en: "history…",
        zh: "读取修订历史…",
    },
    Words {
        key: "stage-analyse",
        en: "analyse…",
        zh: "分析条款和引用…",
    },
    Words {
        key: "stage-theme",
        en: "theme…",
        zh: "载入模板…",
    },
    Words {
        key: "stage-open",
        en: "open…",
        zh: "准备输出文件夹…",
    },
    Words {
        key: "stage-render",
        en: "render…",
        zh: "生成页面、索引和打印版…",
    },
    Words {
        key: "stage-copy",
        en: "copy…",
        zh: "复制附件…",
    },
    Words {
        key: "stage-write",
        en: "write…",
        zh: "写入…",
    },
    // Preview server (rulebook serve): listening, and who can reach it.
    Words {
        key: "serve-addr-in-use",
        en: "Cannot listen on {addr}: the port is in use (another `rulebook serve`?). Stop that program, or choose another port with --port.",
        zh: "无法在 {addr} 上监听：端口已被占用（是否已有一个 rulebook serve 在运行？）。请先停止它，或用 --port 换一个端口。",
    },
    Words {
        key: "serve-addr-unavailable",
        en: "Cannot listen on {addr}: this machine has no such address. Check --bind.",
        zh: "无法在 {addr} 上监听：本机没有这个地址。请检查 --bind。",
    },
    Words {
        key: "serve-addr-denied",
        en: "Cannot listen on {addr}: not allowed (ports below 1024 need administrator rights). Choose another port with --port.",
        zh: "无法在 {addr} 上监听：没有权限（1024 以下的端口需要管理员权限）。请用 --port 换一个端口。",
    },
    Words {
        key: "serve-cannot-listen",
        en: "Cannot listen on {addr} (system error {code}).",
        zh: "无法在 {addr} 上监听（系统错误 {code}）。",
    },
    Words {
        key: "serve-exposed",
        en: "Warning: listening on {addr}, beyond this machine: other computers on the network can read this preview, unpublished edits included. Without --bind only this machine can.",
        zh: "警告：正在 {addr} 上监听，本机以外也能访问：网络上的其他计算机可以读取此预览，包括尚未发布的修改。不加 --bind 则只有本机能访问。",
    },
    Words {
        key: "serve-no-root",
        en: "Cannot open the site folder {root}: it does not exist or cannot be read.",
        zh: "无法打开站点文件夹 {root}：它不存在或无法读取。",
    },
];

/// The parts of a message that vary with the case (why a file cannot be created, what a link
/// is), in each language: a diagnostic carries both, as its arguments `{name}` and `{name_zh}`
/// ([`phrase`]). Kept here so that every word a reader sees is in this one file.
pub const PHRASES: &[Words] = &[
    Words {
        key: "new-needs-category",
        en: "a regulation belongs to a category: write `category/name`",
        zh: "制度须属于某个分类：请写成 `分类/文件名`",
    },
    Words {
        key: "new-plain-parts",
        en: "each part must be a plain folder or file name",
        zh: "每一段都必须是普通的文件夹名或文件名",
    },
    Words {
        key: "new-not-an-id",
        en: "each part becomes an id: no control characters, line breaks, spaces at either end or any of / \\ # ? % \" ' < > & : * |",
        zh: "每一段都会成为 id：不能含控制字符、换行、首尾空格，也不能含 / \\ # ? % \" ' < > & : * | 中的任何字符",
    },
    Words {
        key: "new-outside-content",
        en: "the folder leads outside content/ (through a symbolic link)",
        zh: "该文件夹（经符号链接）指向 content/ 之外",
    },
    Words {
        key: "link-not-a-file",
        en: "it leads to a pipe or device, not a file",
        zh: "它指向管道或设备，而不是文件",
    },
    Words {
        key: "new-exists",
        en: "the file exists already (nothing was changed)",
        zh: "文件已存在（未作任何改动）",
    },
    Words {
        key: "as-of-no-repository",
        en: "content/ is not in a git repository",
        zh: "content/ 不在 git 仓库中",
    },
    Words {
        key: "as-of-history-unreadable",
        en: "{error}",
        zh: "无法读取 git 历史：{error}",
    },
    Words {
        key: "as-of-no-commit",
        en: "the history has no commit on or before that day",
        zh: "历史中没有该日或更早的提交",
    },
    Words {
        key: "as-of-not-extracted",
        en: "{error}",
        zh: "无法从 git 历史中取出 content/：{error}",
    },
    Words {
        key: "base-path-host",
        en: "names another host",
        zh: "指向另一台主机",
    },
    Words {
        key: "base-path-address",
        en: "is an address, not a path",
        zh: "是网址，不是路径",
    },
    Words {
        key: "base-path-characters",
        en: "contains characters a URL path cannot have here",
        zh: "含有网址路径中此处不能出现的字符",
    },
    Words {
        key: "base-path-up",
        en: "leads up with `..`",
        zh: "用 `..` 指向上级文件夹",
    },
    Words {
        key: "image",
        en: "image",
        zh: "图片",
    },
    Words {
        key: "link",
        en: "link",
        zh: "链接",
    },
    Words {
        key: "the-title",
        en: "the title",
        zh: "标题",
    },
    Words {
        key: "an-alias",
        en: "an alias",
        zh: "别名",
    },
    Words {
        key: "alias-is-title",
        en: "is the title of {file}",
        zh: "是 {file} 的标题",
    },
    Words {
        key: "alias-is-alias",
        en: "is already an alias of {file}",
        zh: "已是 {file} 的别名",
    },
    Words {
        key: "plain-words-none",
        en: "none declared",
        zh: "未声明",
    },
    Words {
        key: "link-broken",
        en: "it is broken or loops ({error})",
        zh: "链接已损坏或形成循环（{error}）",
    },
    Words {
        key: "link-outside",
        en: "it points outside the site folder, to {target}",
        zh: "它指向站点文件夹之外的 {target}",
    },
    Words {
        key: "link-to-folder",
        en: "it points to a folder; linked folders are not followed",
        zh: "它指向一个文件夹；链接的文件夹不会被读取",
    },
    // What a site's template that fails says in Chinese (RB130): Tera explains in English only, so
    // the Chinese line names the tokens expected; `english-only` says where a library's English
    // words are (a Chinese line never carries them).
    Words {
        key: "template-expected",
        en: "expected {tokens}",
        zh: "此处应为 {tokens}",
    },
    Words {
        key: "template-not-syntax",
        en: "not template syntax here",
        zh: "此处不合模板语法",
    },
    Words {
        key: "english-only",
        en: "the details are in English (`--lang en`)",
        zh: "详细说明见 `--lang en` 的输出",
    },
    // Why the system refused a file or folder, in Chinese ([`io_reason_zh`]); the English side
    // of a message keeps the system's own words.
    Words {
        key: "io-not-found",
        en: "it does not exist",
        zh: "不存在",
    },
    Words {
        key: "io-permission",
        en: "permission denied",
        zh: "没有访问权限",
    },
    Words {
        key: "io-loop",
        en: "a symbolic link loops back to a folder above it",
        zh: "符号链接指回了它上层的文件夹，形成循环",
    },
    Words {
        key: "io-other",
        en: "system error {code}",
        zh: "系统错误 {code}",
    },
    // Why an output folder or file is refused (src/output/): `Error::UnsafeOutput` carries both.
    Words {
        key: "out-not-ext",
        en: "it is not a .{extension} file; name the file to write, ending in .{extension}",
        zh: "它不是 .{extension} 文件：请写出要生成的文件名，以 .{extension} 结尾",
    },
    Words {
        key: "out-in-site-folder",
        en: "it is inside the site's {name}/ folder",
        zh: "它在站点的 {name}/ 文件夹之内",
    },
    Words {
        key: "out-in-content",
        en: "it is inside the content folder",
        zh: "它在 content 文件夹之内",
    },
    Words {
        key: "out-inside-system",
        en: "it is inside the system folder {folder}",
        zh: "它在系统文件夹 {folder} 之内",
    },
    Words {
        key: "out-in-system",
        en: "it is in the system folder {folder}",
        zh: "它在系统文件夹 {folder} 中",
    },
    Words {
        key: "out-is-system",
        en: "it is the system folder {folder}",
        zh: "它是系统文件夹 {folder}",
    },
    Words {
        key: "out-is-home",
        en: "it is a user's home folder ({folder})",
        zh: "它是用户的主文件夹（{folder}）",
    },
    Words {
        key: "out-contains-system",
        en: "it contains the system folder {folder}",
        zh: "它包含系统文件夹 {folder}",
    },
    Words {
        key: "out-contains-home",
        en: "it contains a user's home folder ({folder})",
        zh: "它包含用户的主文件夹（{folder}）",
    },
    Words {
        key: "out-is-folder",
        en: "it is a folder",
        zh: "它是一个文件夹",
    },
    Words {
        key: "out-not-regular",
        en: "it is not a regular file",
        zh: "它不是普通文件",
    },
    Words {
        key: "out-foreign-file",
        en: "it is a file rulebook did not write; choose another name, or pass --force to replace it",
        zh: "这个文件不是 rulebook 写的：请换一个文件名，或加 --force 替换它",
    },
    Words {
        key: "out-fs-root",
        en: "it is the file-system root",
        zh: "它是文件系统的根目录",
    },
    Words {
        key: "out-site-root",
        en: "it is the site's root folder; use a subfolder such as public/",
        zh: "它是站点的根文件夹：请用其中的子文件夹，如 public/",
    },
    Words {
        key: "out-contains-sources",
        en: "it contains the site's sources",
        zh: "它包含站点的源文件",
    },
    Words {
        key: "out-is-file",
        en: "it is a file, not a folder",
        zh: "它是文件，不是文件夹",
    },
    Words {
        key: "out-foreign-files",
        en: "it holds files rulebook did not generate ({files}); choose an empty or new folder, or pass --force to build into it and keep them (rulebook never deletes or overwrites files it did not write)",
        zh: "其中有不是 rulebook 生成的文件（{files}）：请选一个空的或新的文件夹，或加 --force 生成到其中并保留这些文件（rulebook 从不删除或覆盖不是它写的文件）",
    },
    Words {
        key: "out-and-more",
        en: "and {count} more",
        zh: "另有 {count} 个",
    },
    Words {
        key: "out-path-outside",
        en: "the page path `{path}` leads outside the output folder",
        zh: "页面路径 `{path}` 指向输出文件夹之外",
    },
    Words {
        key: "out-needs-folder",
        en: "the site needs the folder `{folder}`, and the output folder holds a file or link there that rulebook did not generate; move it away",
        zh: "站点需要文件夹 `{folder}`，而输出文件夹中此处有一个不是 rulebook 生成的文件或链接：请把它移走",
    },
    Words {
        key: "out-needs-page",
        en: "the site has a page `{page}`, and the output folder holds a file there that rulebook did not generate; move it away (rulebook never overwrites files it did not write)",
        zh: "站点有页面 `{page}`，而输出文件夹中此处有一个不是 rulebook 生成的文件：请把它移走（rulebook 从不覆盖不是它写的文件）",
    },
    // Template syntax of other site generators (RB203), by kind.
    Words {
        key: "template-liquid-tag",
        en: "Liquid tags `{% … %}`",
        zh: "Liquid 标签 `{% … %}`",
    },
    Words {
        key: "template-expression",
        en: "template expressions `{{ … }}`",
        zh: "模板表达式 `{{ … }}`",
    },
    Words {
        key: "template-shortcode",
        en: "Hugo shortcodes `{{< … >}}`",
        zh: "Hugo shortcode `{{< … >}}`",
    },
    Words {
        key: "template-shortcode-markdown",
        en: "Hugo shortcodes `{{% … %}}`",
        zh: "Hugo shortcode `{{% … %}}`",
    },
];

/// A phrase of [`PHRASES`] in English and in Chinese, its arguments filled in: the values of a
/// diagnostic's `{name}` and `{name_zh}`.
///
/// # Panics
/// On a key the table does not have: a programming error, caught by the tests.
pub fn phrase(key: &str, args: &[(&'static str, String)]) -> (String, String) {
    let w = PHRASES
        .iter()
        .find(|w| w.key == key)
        .unwrap_or_else(|| panic!("no phrase `{key}`"));
    (render(w.en, args), render(w.zh, args))
}

/// Why the system refused a file or folder, in Chinese (a Chinese line never carries the
/// system's English words): not there, no permission, else the error's number.
pub fn io_reason_zh(e: &std::io::Error) -> String {
    let key = match e.kind() {
        std::io::ErrorKind::NotFound => "io-not-found",
        std::io::ErrorKind::PermissionDenied => "io-permission",
        _ => "io-other",
    };
    let code = e
        .raw_os_error()
        .map_or_else(|| format!("{:?}", e.kind()), |c| c.to_string());
    phrase(key, &[("code", code)]).1
}

/// [`io_reason_zh`] of a folder walk's error (a loop has no system error).
pub fn walk_reason_zh(e: &walkdir::Error) -> String {
    match e.io_error() {
        Some(io) => io_reason_zh(io),
        None => phrase("io-loop", &[]).1,
    }
}

/// A sentence of the command line's own ([`TERMINAL`]) in `lang`, its arguments filled in.
///
/// # Panics
/// On a key the table does not have: a programming error, caught by the tests.
pub fn say(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let w = TERMINAL
        .iter()
        .find(|w| w.key == key)
        .unwrap_or_else(|| panic!("no terminal sentence `{key}`"));
    render(
        match lang {
            Lang::Zh => w.zh,
            Lang::En => w.en,
        },
        args,
    )
}

/// The message with this code.
pub fn message(code: &str) -> Option<&'static Message> {
    CATALOGUE.iter().find(|m| m.code == code)
}

/// The hint with this name.
pub fn hint(name: &str) -> Option<&'static Hint> {
    HINTS.iter().find(|h| h.name == name)
}

/// `s` with its control characters (ESC, BEL … as a file name may hold them) written
/// as `\u{1b}`: a value shown in a message never drives the terminal (a title change, a cleared
/// screen) or breaks a line of the report.
pub fn printable(s: &str) -> String {
    // Tab and line break are kept: messages (a YAML error's detail) use them as text.
    let escaped = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(escaped) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if escaped(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `template` with each `{name}` replaced by its argument (an unknown name is left as written).
pub fn render(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(&printable(v)),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a serde type name in a YAML error means, in English (`i64` → an integer).
pub fn expected_en(expected: &str) -> String {
    let e = expected.trim();
    if e.contains("i64") || e.contains("u64") || e.contains("integer") || e.contains("i32") {
        "an integer (digits, e.g. 3)".to_string()
    } else {
        e.to_string()
    }
}

/// What a serde type name in a YAML error means, for the Chinese message (`i64` → 整数).
pub fn expected_zh(expected: &str) -> String {
    let e = expected.trim();
    let zh = if e.contains("i64") || e.contains("u64") || e.contains("integer") || e.contains("i32")
    {
        "整数（阿拉伯数字，如 3）"
    } else if e.contains("string") {
        "文字"
    } else if e.contains("sequence") {
        "列表（每项一行，以 `- ` 开头）"
    } else if e.contains("bool") {
        "true 或 false"
    } else if e.contains("map") || e.contains("struct") {
        "键值表（`键: 值`）"
    } else {
        return e.to_string();
    };
    zh.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_every_text_has_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for m in CATALOGUE {
            assert!(seen.insert(m.code), "{} twice", m.code);
            assert!(
                m.code.len() >= 5
                    && m.code.starts_with("RB")
                    && m.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                m.code
            );
            assert!(!m.en.is_empty() && !m.zh.is_empty(), "{}", m.code);
            assert_eq!(m.help_en.is_empty(), m.help_zh.is_empty(), "{}", m.code);
        }
    }

    /// The argument names of a text (`{key}` → `key`), a Chinese variant (`{expected_zh}`) read as
    /// the English one it stands for.
    fn argument_names(texts: &[&str]) -> std::collections::BTreeSet<String> {
        texts
            .iter()
            .flat_map(|t| t.split('{').skip(1))
            .filter_map(|p| p.split_once('}').map(|(n, _)| n))
            .map(|n| n.strip_suffix("_zh").unwrap_or(n).to_string())
            .collect()
    }

    /// Why the system refused a folder is said in Chinese, never in the system's English.
    #[test]
    fn io_reasons_in_chinese() {
        let denied = std::io::Error::from_raw_os_error(13);
        assert_eq!(io_reason_zh(&denied), "没有访问权限");
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason_zh(&missing), "不存在");
        let m = message("RB060").unwrap();
        let args = vec![
            ("error", denied.to_string()),
            ("error_zh", io_reason_zh(&denied)),
        ];
        assert_eq!(render(m.zh, &args), "无法读取：没有访问权限");
        assert!(render(m.en, &args).contains("Permission denied"));
    }

    #[test]
    fn names_are_unique_and_both_languages_name_the_same_arguments() {
        let mut names = std::collections::HashSet::new();
        for m in CATALOGUE {
            assert!(names.insert(m.name), "{} twice", m.name);
            assert_eq!(
                argument_names(&[m.en, m.help_en]),
                argument_names(&[m.zh, m.help_zh]),
                "{}",
                m.code
            );
        }
        let mut hints = std::collections::HashSet::new();
        for h in HINTS {
            assert!(hints.insert(h.name), "{} twice", h.name);
            assert_eq!(
                argument_names(&[h.en]),
                argument_names(&[h.zh]),
                "{}",
                h.name
            );
        }
    }

    #[test]
    fn terminal_sentences_and_phrases_name_the_same_arguments_in_both_languages() {
        let names = |t: &str| {
            let mut v: Vec<String> = t
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for table in [TERMINAL, PHRASES] {
            let mut seen = std::collections::HashSet::new();
            for w in table {
                assert!(seen.insert(w.key), "{} twice", w.key);
                assert_eq!(names(w.en), names(w.zh), "{}", w.key);
            }
        }
        assert_eq!(
            phrase("alias-is-title", &[("file", "a.md".into())]),
            ("is the title of a.md".into(), "是 a.md 的标题".into())
        );
    }

    #[test]
    fn arguments_are_filled_in() {
        type Case<'a> = (&'a str, &'a [(&'static str, &'a str)], &'a str);
        let cases: &[Case] = &[
            ("`{key}` 无效", &[("key", "ordr")], "`ordr` 无效"),
            ("{a}{b}", &[("a", "1"), ("b", "2")], "12"),
            ("{missing} 保留", &[], "{missing} 保留"),
            ("未闭合 {", &[], "未闭合 {"),
            ("中文{x}中文", &[("x", "《甲》")], "中文《甲》中文"),
        ];
        for (template, args, want) in cases {
            let args: Vec<(&'static str, String)> =
                args.iter().map(|(k, v)| (*k, v.to_string())).collect();
            assert_eq!(render(template, &args), *want, "{template}");
        }
    }

    #[test]
    fn serde_type_names_read_as_chinese() {
        for (expected, want) in [
            ("i64", "整数（阿拉伯数字，如 3）"),
            ("a string", "文字"),
            ("a sequence", "列表（每项一行，以 `- ` 开头）"),
            ("a boolean", "true 或 false"),
            ("something else", "something else"),
        ] {
            assert_eq!(expected_zh(expected), want);
        }
    }
}
