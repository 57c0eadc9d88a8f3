//! Checks of one agreement and its shipment records, producing the validated model.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Pos};
use crate::load::located::Loc;
use crate::load::{LoadedAgreement, raw};
use crate::model::*;

use super::values::{Ctx, is_slug, measures, read_decimal};

/// Validates a loaded agreement. Returns the model (with invalid parts left out) when the
/// agreement file itself parsed.
pub fn validate(
    la: &LoadedAgreement,
    default_language: &str,
    diags: &mut Diagnostics,
) -> Option<Agreement> {
    let (mut agreement, ids) = without_records(la, default_language, diags)?;
    agreement.records = match &la.summary {
        Some(summary) => Records::Summarized(summary.clone()),
        None => Records::Read(super::shipments::validate(la, &agreement, &ids, diags)),
    };
    Some(agreement)
}

/// The agreement checked without its records (`la`'s shipment files are not looked at), and
/// the ids its records are checked against.
pub fn without_records(
    la: &LoadedAgreement,
    default_language: &str,
    diags: &mut Diagnostics,
) -> Option<(Agreement, Ids)> {
    let mut cx = Ctx {
        file: &la.file,
        diags,
    };
    if !is_slug(&la.slug) {
        cx.error(
            "invalid-slug",
            Pos::START,
            format!("the agreement folder name `{}` is not a slug", la.slug),
            "rename the folder with lowercase ASCII letters, digits and `-` (1 to 64 characters)",
        );
    }
    let a = la.agreement.as_ref()?;
    let ids = Ids::collect(a, &mut cx);

    if a.parties.value.len() < 2 {
        cx.error(
            "missing-field",
            a.parties.pos,
            format!(
                "an agreement needs at least two parties, found {}",
                a.parties.value.len()
            ),
            "list every signing party under `parties:`",
        );
    }
    let signed = cx.date(&a.signed);
    let start = cx.date(&a.period.value.start);
    let end = cx.opt_date(&a.period.value.end);
    if let (Some(s), Some(e), Some(loc)) = (start, end, &a.period.value.end)
        && e < s
    {
        cx.error(
            "invalid-period",
            loc.pos,
            format!("the period ends ({e}) before it starts ({s})"),
            "swap or correct the dates",
        );
    }

    let commodities = commodities(a, &mut cx);
    let participants = a
        .participants
        .iter()
        .map(|p| {
            let p = &p.value;
            cx.reference(&p.party, &ids.parties, "party");
            for c in &p.commodities {
                cx.reference(c, &ids.commodities, "commodity");
            }
            Participant {
                id: p.id.value.clone(),
                name: p.name.clone(),
                kind: p.kind.clone(),
                party: p.party.value.clone(),
                commodities: p.commodities.iter().map(|c| c.value.clone()).collect(),
                location: cx.location(&p.location, &p.id.value),
                region: cx.region(&p.region),
            }
        })
        .collect();
    let offtakers = a
        .offtakers
        .iter()
        .map(|o| {
            let o = &o.value;
            cx.reference(&o.party, &ids.parties, "party");
            Offtaker {
                id: o.id.value.clone(),
                name: o.name.clone(),
                party: o.party.value.clone(),
                location: cx.location(&o.location, &o.id.value),
                region: cx.region(&o.region),
            }
        })
        .collect();
    let targets = targets(a, &ids, &commodities, &mut cx);
    let mut milestone_ids = BTreeSet::new();
    let milestones = a
        .milestones
        .iter()
        .filter_map(|loc| {
            let m = &loc.value;
            if let Some(t) = &m.target {
                cx.reference(t, &ids.targets, "target");
            }
            for s in &m.sources {
                cx.reference(s, &ids.sources, "source");
            }
            let date = cx.date(&m.date)?;
            let id = match &m.id {
                Some(id) => cx.id(id),
                None => milestone_id(date, m.title.get(default_language, default_language)),
            };
            if !milestone_ids.insert(id.clone()) {
                let pos = m.id.as_ref().map_or(loc.pos, |i| i.pos);
                cx.error(
                    "duplicate-id",
                    pos,
                    format!("another milestone is already named `{id}` (by its `id`, or by its date and title)"),
                    "give this milestone an `id:` of its own",
                );
            }
            Some(Milestone {
                id,
                date,
                title: m.title.clone(),
                status: m.status,
                target: m.target.as_ref().map(|t| t.value.clone()),
                sources: m.sources.iter().map(|s| s.value.clone()).collect(),
            })
        })
        .collect();
    let documents = documents(a, &ids, &mut cx);
    let sources = a
        .sources
        .iter()
        .map(|s| {
            let s = &s.value;
            Source {
                id: s.id.value.clone(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: cx.url(&s.url).unwrap_or_default(),
                date: cx.opt_date(&s.date),
            }
        })
        .collect();
    let issues = a
        .issues
        .iter()
        .filter_map(|i| {
            let i = &i.value;
            for s in &i.sources {
                cx.reference(s, &ids.sources, "source");
            }
            Some(Issue {
                id: i.id.value.clone(),
                raised: cx.date(&i.raised)?,
                title: i.title.clone(),
                status: i.status,
                sources: i.sources.iter().map(|s| s.value.clone()).collect(),
            })
        })
        .collect();

    let parties = a
        .parties
        .value
        .iter()
        .map(|p| {
            let p = &p.value;
            Party {
                id: p.id.value.clone(),
                name: p.name.clone(),
                role: p.role.clone(),
                signatory: p.signatory.as_ref().map(|s| Signatory {
                    title: s.title.clone(),
                    name: s.name.clone(),
                }),
                location: cx.location(&p.location, &p.id.value),
                region: cx.region(&p.region),
            }
        })
        .collect();
    let facilitators = a
        .facilitators
        .iter()
        .map(|f| {
            let f = &f.value;
            Facilitator {
                id: f.id.value.clone(),
                name: f.name.clone(),
                location: cx.location(&f.location, &f.id.value),
                region: cx.region(&f.region),
            }
        })
        .collect();
    let agreement = Agreement {
        slug: la.slug.clone(),
        title: a.title.clone(),
        kind: a.kind.clone(),
        status: a.status.value,
        signed: signed?,
        start: start?,
        end,
        summary: a.summary.clone(),
        parties,
        facilitators,
        contacts: a
            .contacts
            .iter()
            .map(|c| Contact {
                name: c.value.name.clone(),
                role: c.value.role.clone(),
                email: c.value.email.clone(),
            })
            .collect(),
        commodities,
        participants,
        offtakers,
        targets,
        milestones,
        documents,
        sources,
        issues,
        report: a.report.as_ref().map(|r| ReportSetup {
            place: r.place.clone(),
            signers: r
                .signers
                .iter()
                .map(|s| Signer {
                    title: s.title.clone(),
                    name: s.name.clone(),
                    nip: s.nip.clone(),
                })
                .collect(),
        }),
        pages: Vec::new(),
        records_digest: la.records_digest,
        // Validating the records needs the rest of the agreement.
        records: Records::Read(Vec::new()),
    };
    Some((agreement, ids))
}

/// The id of a milestone written without one: its date and the slug of its title, or of a
/// digest of the title when it has no ASCII letter or digit. Never its position, so that adding
/// a milestone renames no other.
fn milestone_id(date: Date, title: &str) -> String {
    let slug = super::values::slug_of(title, 48);
    if slug.is_empty() {
        format!(
            "{date}-{:08x}",
            xxhash_rust::xxh3::xxh3_64(title.as_bytes()) as u32
        )
    } else {
        format!("{date}-{slug}")
    }
}

/// Every id declared in an agreement, by kind, after duplicate and slug checks.
pub struct Ids {
    pub parties: BTreeMap<String, &'static str>,
    /// Parties, participants, offtakers and facilitators: what a document may name.
    pub actors: BTreeMap<String, &'static str>,
    pub participants: BTreeMap<String, &'static str>,
    pub offtakers: BTreeMap<String, &'static str>,
    pub commodities: BTreeMap<String, &'static str>,
    pub targets: BTreeMap<String, &'static str>,
    pub documents: BTreeMap<String, &'static str>,
    pub sources: BTreeMap<String, &'static str>,
}

impl Ids {
    fn collect(a: &raw::AgreementFile, cx: &mut Ctx) -> Ids {
        let mut actors = Seen::default();
        let parties = actors.add_all(cx, a.parties.value.iter().map(|p| &p.value.id), "party");
        let participants = actors.add_all(
            cx,
            a.participants.iter().map(|p| &p.value.id),
            "participant",
        );
        let offtakers = actors.add_all(cx, a.offtakers.iter().map(|p| &p.value.id), "offtaker");
        actors.add_all(
            cx,
            a.facilitators.iter().map(|p| &p.value.id),
            "facilitator",
        );
        let one = |cx: &mut Ctx, ids: Vec<&Loc<String>>, kind| {
            Seen::default().add_all(cx, ids.into_iter(), kind)
        };
        let commodities = one(
            cx,
            a.commodities.iter().map(|c| &c.value.id).collect(),
            "commodity",
        );
        let targets = one(
            cx,
            a.targets.iter().map(|c| &c.value.id).collect(),
            "target",
        );
        let documents = one(
            cx,
            a.documents.iter().map(|c| &c.value.id).collect(),
            "document",
        );
        let sources = one(
            cx,
            a.sources.iter().map(|c| &c.value.id).collect(),
            "source",
        );
        one(cx, a.issues.iter().map(|c| &c.value.id).collect(), "issue");
        Ids {
            parties,
            actors: actors.all,
            participants,
            offtakers,
            commodities,
            targets,
            documents,
            sources,
        }
    }
}

/// Ids seen so far in one namespace.
#[derive(Default)]
struct Seen {
    all: BTreeMap<String, &'static str>,
}

impl Seen {
    fn add_all<'a>(
        &mut self,
        cx: &mut Ctx,
        ids: impl Iterator<Item = &'a Loc<String>>,
        kind: &'static str,
    ) -> BTreeMap<String, &'static str> {
        let mut these = BTreeMap::new();
        for id in ids {
            let v = cx.id(id);
            if let Some(previous) = self.all.get(&v) {
                cx.error(
                    "duplicate-id",
                    id.pos,
                    format!("the id `{v}` is already used by a {previous}"),
                    "give each one its own id",
                );
            } else {
                self.all.insert(v.clone(), kind);
                these.insert(v, kind);
            }
        }
        these
    }
}

fn commodities(a: &raw::AgreementFile, cx: &mut Ctx) -> Vec<Commodity> {
    a.commodities
        .iter()
        .filter_map(|c| {
            let c = &c.value;
            let unit = cx.unit(&c.unit);
            let conversions = c
                .conversions
                .iter()
                .filter_map(|k| {
                    let k = &k.value;
                    let (from, to) = (cx.unit(&k.from), cx.unit(&k.to));
                    let factor = cx.positive(&k.factor, "a conversion factor");
                    let (from, to, factor) = (from?, to?, factor?);
                    if from.dimension() == to.dimension() {
                        cx.error(
                            "unit-mismatch",
                            k.to.pos,
                            format!("{from} and {to} already convert; a conversion links units of different kinds"),
                            "remove this conversion, or link e.g. kg to egg",
                        );
                    }
                    Some(Conversion { from, to, factor })
                })
                .collect();
            Some(Commodity {
                id: c.id.value.clone(),
                name: c.name.clone(),
                unit: unit?,
                conversions,
            })
        })
        .collect()
}

fn targets(
    a: &raw::AgreementFile,
    ids: &Ids,
    commodities: &[Commodity],
    cx: &mut Ctx,
) -> Vec<Target> {
    a.targets
        .iter()
        .map(|t| {
            let pos = t.pos;
            let t = &t.value;
            let commodity = t.commodity.as_ref().map(|c| {
                cx.reference(c, &ids.commodities, "commodity");
                c.value.clone()
            });
            if let Some(p) = &t.participant {
                cx.reference(p, &ids.participants, "participant");
            }
            if let Some(o) = &t.offtaker {
                cx.reference(o, &ids.offtakers, "offtaker");
            }
            let com = commodity
                .as_ref()
                .and_then(|c| commodities.iter().find(|x| &x.id == c));
            let quantity = t.quantity.as_ref().and_then(|q| {
                let amount = cx.positive(q, "a target quantity")?;
                let unit = match (&t.unit, com) {
                    (Some(u), _) => cx.unit(u)?,
                    (None, Some(c)) => c.unit,
                    (None, None) => {
                        cx.error(
                            "missing-field",
                            q.pos,
                            "a target with a quantity needs a `unit` or a `commodity`".into(),
                            "add `unit:` (e.g. t) or `commodity:`",
                        );
                        return None;
                    }
                };
                if let (Some(c), Some(u)) = (com, &t.unit)
                    && Quantity::new(amount, unit)
                        .convert(c.unit, &c.conversions)
                        .is_none()
                {
                    cx.error(
                        "unit-mismatch",
                        u.pos,
                        format!(
                            "`{}` is {} and cannot be converted to {}, the unit of `{}`",
                            u.value.trim(),
                            measures(unit),
                            c.unit,
                            c.id
                        ),
                        "use a unit of the same kind, or declare a conversion on the commodity",
                    );
                    return None;
                }
                Some(Quantity::new(amount, unit))
            });
            let start = cx.opt_date(&t.start);
            let due = cx.opt_date(&t.due);
            if let (Some(s), Some(d), Some(loc)) = (start, due, &t.due)
                && d < s
            {
                cx.error(
                    "invalid-period",
                    loc.pos,
                    format!("the target is due ({d}) before it starts ({s})"),
                    "correct `start` or `due`",
                );
            }
            Target {
                id: t.id.value.clone(),
                title: t.title.clone(),
                commodity,
                participant: t.participant.as_ref().map(|p| p.value.clone()),
                offtaker: t.offtaker.as_ref().map(|o| o.value.clone()),
                quantity,
                start,
                due,
                file: cx.file.to_string(),
                pos,
            }
        })
        .collect()
}

fn documents(a: &raw::AgreementFile, ids: &Ids, cx: &mut Ctx) -> Vec<Document> {
    let docs: Vec<Document> = a
        .documents
        .iter()
        .map(|d| {
            let d = &d.value;
            for p in &d.parties {
                cx.reference(
                    p,
                    &ids.actors,
                    "party, participant, offtaker or facilitator",
                );
            }
            if let Some(p) = &d.parent {
                cx.reference(p, &ids.documents, "document");
            }
            Document {
                id: d.id.value.clone(),
                kind: d.kind,
                title: d.title.clone(),
                number: d.number.clone(),
                signed: cx.opt_date(&d.signed),
                parties: d.parties.iter().map(|p| p.value.clone()).collect(),
                parent: d.parent.as_ref().map(|p| p.value.clone()),
                url: d.url.as_ref().and_then(|u| cx.url(u)),
            }
        })
        .collect();
    // A parent chain must end at an umbrella document, never loop.
    for (d, raw) in docs.iter().zip(&a.documents) {
        let mut seen = BTreeSet::from([d.id.as_str()]);
        let mut at = d.parent.as_deref();
        while let Some(p) = at {
            if !seen.insert(p) {
                let pos = raw.value.parent.as_ref().map(|p| p.pos).unwrap_or(raw.pos);
                cx.error(
                    "unknown-reference",
                    pos,
                    format!("the parent chain of document `{}` loops back on itself", d.id),
                    "the umbrella agreement has no `parent`; each contract names the document it was made under",
                );
                break;
            }
            at = docs
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.parent.as_deref());
        }
    }
    docs
}

/// A number written in the data, as an exact decimal (used for money).
pub fn money(
    cx: &mut Ctx,
    v: &Loc<crate::load::located::NumberText>,
) -> Option<rust_decimal::Decimal> {
    match read_decimal(&v.value.0) {
        Ok(d) if !d.is_sign_negative() => Some(d),
        Ok(_) => {
            cx.error(
                "invalid-quantity",
                v.pos,
                format!("`{}` is not an amount of rupiah", v.value.0),
                "write a plain non-negative number, e.g. 15000000",
            );
            None
        }
        Err(problem) => {
            cx.error(
                "invalid-quantity",
                v.pos,
                format!("the amount of rupiah `{}` {}", v.value.0, problem.what()),
                problem.hint(),
            );
            None
        }
    }
}
