//! An agreement's revisions: the history page in each language and the language-neutral
//! `revisions.csv` and `revisions.json` next to its `shipments.csv`.

use serde_json::{Value, json};

use super::context::{BeginsView, ChangeRow, ChangesView, HistoryPage, MoveView, RevisionView};
use super::opendata::{csv_cell, plain};
use super::views::Lang;
use super::{Files, PageJob};
use crate::history::{ChangeKind, Changes, History, Revision, TotalMove};
use crate::model::{Agreement, Quantity, Site};

pub(super) const CSV_HEADER: &str = "date,commit,id,change,field,old,new";

/// The most change rows one revision shows on the page; the rest are in revisions.csv (a
/// first commit of a large site adds every record).
pub const PAGE_ROWS: usize = 100;

/// The history page of agreement `a` (`head` is its [`super::context::Head`], as a value).
pub(super) fn page(
    site: &Site,
    history: &History,
    a: &Agreement,
    l: &Lang,
    head: &super::context::Head,
) -> PageJob {
    let uncommitted = site.uncommitted.get(&a.slug).map(|c| uncommitted(a, l, c));
    let revisions = uncommitted
        .into_iter()
        .chain(
            history
                .revisions(&a.slug)
                .iter()
                .rev()
                .map(|r| revision(site, a, l, r)),
        )
        .collect();
    let b = &history.begins;
    let title = format!("{} – {}", l.s("history"), head.title);
    PageJob {
        template: "history.html",
        path: format!("agreements/{}/history/index.html", a.slug),
        title,
        page: tera::Value::from_serializable(&HistoryPage {
            body_class: None,
            a: head,
            begins: BeginsView {
                commit: b.commit.short().to_string(),
                url: site.history_options.commit_link(&b.commit.0),
                date: l.date(b.date),
                truncated: b.truncated,
            },
            revisions,
        }),
        shared: Vec::new(),
    }
}

fn revision<'r>(site: &Site, a: &Agreement, l: &Lang<'r>, r: &'r Revision) -> RevisionView<'r> {
    RevisionView {
        uncommitted: false,
        commit: &r.commit.0,
        short: r.commit.short(),
        url: site.history_options.commit_link(&r.commit.0),
        date: l.date(r.date),
        message: &r.message,
        author: r.author.as_deref(),
        shown: changes_view(a, l, r.changes()),
    }
}

/// The changes of the work tree not yet committed, shown above the newest revision.
fn uncommitted<'r>(a: &Agreement, l: &Lang<'r>, changes: &'r Changes) -> RevisionView<'r> {
    RevisionView {
        uncommitted: true,
        commit: "",
        short: "",
        url: None,
        date: String::new(),
        message: "",
        author: None,
        shown: changes_view(a, l, Some(changes)),
    }
}

/// The rows of a revision's tables: records (at most [`PAGE_ROWS`], with how many more in
/// words), totals and targets; nothing when its data could not be read.
fn changes_view<'r>(a: &Agreement, l: &Lang<'r>, changes: Option<&'r Changes>) -> ChangesView<'r> {
    let mut rows: Vec<ChangeRow> = changes
        .map(|c| {
            c.records
                .iter()
                .flat_map(|rc| {
                    let label = l.s(&format!("revision_{}", rc.change.code()));
                    let whole = (rc.change != ChangeKind::Changed).then(|| ChangeRow {
                        id: rc.id.clone(),
                        change: rc.change.code(),
                        change_label: label,
                        field: "",
                        old: rc.old.clone().unwrap_or_default(),
                        new: rc.new.clone().unwrap_or_default(),
                    });
                    let fields = rc.fields.iter().map(move |f| ChangeRow {
                        id: rc.id.clone(),
                        change: rc.change.code(),
                        change_label: label,
                        field: Some(l.s(field_label(&f.field)))
                            .filter(|s| !s.is_empty())
                            .unwrap_or(&f.field),
                        old: f.old.clone(),
                        new: f.new.clone(),
                    });
                    whole.into_iter().chain(fields)
                })
                .collect()
        })
        .unwrap_or_default();
    let more =
        (rows.len() > PAGE_ROWS).then(|| l.loc.count("history_more", rows.len() - PAGE_ROWS, &[]));
    rows.truncate(PAGE_ROWS);
    let totals = changes
        .map(|c| total_moves(a, l, &c.totals))
        .unwrap_or_default();
    let targets = changes
        .map(|c| {
            c.targets
                .iter()
                .map(|t| {
                    let shown = |q, p: Option<rust_decimal::Decimal>| {
                        let q = l.qty(Quantity::new(q, t.unit));
                        match p {
                            Some(p) => format!("{q} ({})", l.loc.percent(p)),
                            None => q,
                        }
                    };
                    MoveView {
                        name: a
                            .target(&t.target)
                            .map_or(t.target.clone(), |x| l.text(&x.title).to_string()),
                        old: shown(t.old, t.old_progress),
                        new: shown(t.new, t.new_progress),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    ChangesView {
        readable: changes.is_some(),
        changes: rows,
        more,
        totals,
        targets,
    }
}

/// The key of the interface string that names field `field` of the data format on the page.
fn field_label(field: &str) -> &str {
    match field {
        "from" => "participant",
        "to" => "offtaker",
        "unit" => "chart_unit",
        "value_idr" => "value",
        "approx" => "history_field_approx",
        "illustrative" => "history_field_illustrative",
        // `date`, `period`, `commodity`, `quantity`, `status`, `verification`, `sources`,
        // `document` and `note` name their own strings.
        other => other,
    }
}

/// Each total of `moves` before and after, named and in the page's language.
pub(super) fn total_moves(a: &Agreement, l: &Lang, moves: &[TotalMove]) -> Vec<MoveView> {
    moves
        .iter()
        .map(|t| MoveView {
            name: a
                .commodity(&t.commodity)
                .map_or(t.commodity.clone(), |c| l.text(&c.name).to_string()),
            old: l.qty(Quantity::new(t.old, t.unit)),
            new: l.qty(Quantity::new(t.new, t.unit)),
        })
        .collect()
}

/// `revisions.csv` and `revisions.json` of agreement `slug`: one row (one object) per record
/// change, oldest first; a revision whose data could not be read has none.
pub(super) fn files(history: &History, slug: &str, files: &mut Files) {
    let mut csv = String::from(CSV_HEADER);
    csv.push_str("\r\n");
    let mut json_rows: Vec<Value> = Vec::new();
    for r in history.revisions(slug) {
        let Some(changes) = r.changes() else {
            continue;
        };
        for c in &changes.records {
            let rows: Vec<(&str, &str, &str)> = if c.change == ChangeKind::Changed {
                c.fields
                    .iter()
                    .map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str()))
                    .collect()
            } else {
                vec![(
                    "",
                    c.old.as_deref().unwrap_or(""),
                    c.new.as_deref().unwrap_or(""),
                )]
            };
            for (field, old, new) in &rows {
                let date = r.date.to_string();
                let cells = [&date, &r.commit.0, &c.id, c.change.code(), field, old, new];
                let line: Vec<String> = cells.iter().map(|s| csv_cell(&plain(s))).collect();
                csv.push_str(&line.join(","));
                csv.push_str("\r\n");
            }
            json_rows.push(json!({
                "date": r.date.to_string(),
                "commit": r.commit.0,
                "message": plain(&r.message),
                "id": c.id,
                "change": c.change.code(),
                "commodity": c.commodity,
                "old": c.old.as_deref().map(plain),
                "new": c.new.as_deref().map(plain),
                "fields": c.fields.iter().map(|f| json!({
                    "field": f.field,
                    "old": plain(&f.old),
                    "new": plain(&f.new),
                })).collect::<Vec<_>>(),
            }));
        }
    }
    let dir = format!("agreements/{slug}");
    files.insert(format!("{dir}/revisions.csv"), csv.into_bytes());
    let mut text = serde_json::to_string_pretty(&json!({ "revisions": json_rows }))
        .expect("revisions serialize");
    text.push('\n');
    files.insert(format!("{dir}/revisions.json"), text.into_bytes());
}

#[cfg(test)]
mod tests {
    use super::field_label;
    use crate::theme::Theme;

    #[test]
    fn every_field_of_a_record_is_named_in_each_built_in_language() {
        let theme = Theme::builtin();
        for lang in ["id", "en"] {
            for field in crate::history::FIELDS {
                let key = field_label(field);
                assert!(
                    theme.strings[lang].contains_key(key),
                    "{field}: {key} is missing in {lang}.yaml"
                );
            }
        }
    }
}
