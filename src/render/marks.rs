//! Where an agreement's pages point into its revision history: the last revision, each total
//! that moved after it was first published, each record changed after it was first published.
//!
//! A total counts as published once a revision has given it a value: a move from zero is its
//! first publication, any later move (a correction, a removal, a delivery added) is a change
//! after publication. A record counts as changed when a revision changed one of its fields
//! after the revision that added it.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use crate::history::{ChangeKind, Revision};

/// The revisions an agreement's pages link to.
#[derive(Default)]
pub(super) struct Marks<'r> {
    /// The newest revision.
    pub last: Option<&'r Revision>,
    /// By commodity id: the newest revision that moved its published total.
    pub totals: BTreeMap<&'r str, &'r Revision>,
    /// By record id: the commit of the newest revision that changed the record.
    pub records: HashMap<&'r str, &'r str>,
}

impl<'r> Marks<'r> {
    /// The marks of `revisions` (oldest first, as the history keeps them).
    pub fn of(revisions: &'r [Revision]) -> Marks<'r> {
        let mut marks = Marks {
            last: revisions.last(),
            ..Marks::default()
        };
        for r in revisions {
            let Some(changes) = r.changes() else {
                continue;
            };
            for t in changes.totals.iter().filter(|t| t.old != Decimal::ZERO) {
                marks.totals.insert(&t.commodity, r);
            }
            for c in changes
                .records
                .iter()
                .filter(|c| c.change == ChangeKind::Changed)
            {
                marks.records.insert(&c.id, &r.commit.0);
            }
        }
        marks
    }
}

/// Whether revision `r` moved a total that an earlier revision had published: the news a
/// feed reader is told about.
pub(super) fn moves_published_total(r: &Revision) -> bool {
    r.changes()
        .is_some_and(|c| c.totals.iter().any(|t| t.old != Decimal::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::*;
    use crate::model::Unit;

    fn revision(commit: &str, totals: &[(&str, i64, i64)], changed: &[&str]) -> Revision {
        Revision {
            commit: CommitId(commit.repeat(40)),
            date: "2024-01-01".parse().unwrap(),
            time: 0,
            message: String::new(),
            author: None,
            outcome: Outcome::Read(Changes {
                records: changed
                    .iter()
                    .map(|id| RecordChange {
                        id: id.to_string(),
                        change: ChangeKind::Changed,
                        commodity: "beras".into(),
                        old: None,
                        new: None,
                        fields: Vec::new(),
                    })
                    .collect(),
                totals: totals
                    .iter()
                    .map(|(c, old, new)| TotalMove {
                        commodity: c.to_string(),
                        unit: Unit::T,
                        old: Decimal::from(*old),
                        new: Decimal::from(*new),
                    })
                    .collect(),
                targets: Vec::new(),
            }),
        }
    }

    #[test]
    fn first_publication_is_not_a_change() {
        let revs = [
            revision("a", &[("beras", 0, 10), ("telur", 0, 5)], &[]),
            revision("b", &[("beras", 10, 8)], &["r1"]),
            revision("c", &[("telur", 0, 0)], &["r2"]),
            revision("d", &[("beras", 8, 9)], &["r1"]),
        ];
        let m = Marks::of(&revs);
        assert_eq!(m.last.map(|r| r.commit.short()), Some("ddddddd"));
        assert_eq!(m.totals.len(), 1);
        assert_eq!(m.totals["beras"].commit.short(), "ddddddd");
        assert_eq!(m.records["r1"], "d".repeat(40));
        assert_eq!(m.records["r2"], "c".repeat(40));
        let news: Vec<bool> = revs.iter().map(moves_published_total).collect();
        assert_eq!(news, [false, true, false, true]);
    }
}
