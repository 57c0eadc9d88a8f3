//! Digests of what a unit's files are made from. Equal digests mean equal files, so a rebuild
//! skips every agreement whose digest the output folder's manifest already holds.
//!
//! The model is hashed through its `Debug` form: derived for every model type, it lists every
//! field, and it keeps what `Hash` would lose (a `Decimal`'s scale: `1.0` and `1.00` are
//! written differently on the pages). An agreement's shipment records are the exception: they
//! count through the digest of the files they were read from, which a rebuild knows without
//! reading them.

use std::fmt::{self, Write};

use xxhash_rust::xxh3::Xxh3;

use super::RenderOptions;
use crate::model::{Agreement, Site};
use crate::theme::Theme;

/// Raised whenever rendering code changes what the same data and theme produce (a new file
/// such as `preview.png`, different markup written by Rust) within one package version, so that
/// an output folder built by an earlier binary is rendered again instead of kept.
const RENDER_REVISION: u32 = 16;

/// Feeds formatted text straight into the hasher, without building the string.
struct Feed(Xxh3);

impl Write for Feed {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl Feed {
    fn new() -> Feed {
        let mut feed = Feed(Xxh3::new());
        // A new version of sinergi may render the same data differently.
        feed.bytes(env!("CARGO_PKG_VERSION").as_bytes());
        feed.bytes(&RENDER_REVISION.to_le_bytes());
        feed
    }

    /// Length-prefixed, so that two fields can never run into each other.
    fn bytes(&mut self, b: &[u8]) {
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
    }

    fn finish(&self) -> u128 {
        // 0 marks "always render"; a real digest never takes that value.
        self.0.digest128().max(1)
    }
}

/// What every agreement page depends on besides its agreement: the site without its
/// agreements (title, languages, free pages for the menu, `as_of`), the theme and the options.
pub(super) fn shared(site: &Site, theme: &Theme, options: &RenderOptions) -> u128 {
    // Named one by one so that a new field of `Site` cannot be forgotten here.
    let Site {
        title,
        description,
        languages,
        base_url,
        publisher,
        contact,
        license,
        as_of,
        agreements: _,
        pages,
        history_options,
        history,
        uncommitted: _,
    } = site;
    // Each agreement's revisions and uncommitted changes count in its own digest
    // ([`agreement`]); where the history begins is shown on every revision page.
    let begins = history.as_ref().map(|h| &h.begins);
    let mut feed = Feed::new();
    let _ = write!(
        feed,
        "{title:?}|{description:?}|{languages:?}|{base_url:?}|{publisher:?}|{contact:?}|\
         {license:?}|{as_of:?}|{pages:?}|{options:?}|{history_options:?}|{begins:?}"
    );
    for (name, t) in &theme.templates {
        feed.bytes(name.as_bytes());
        feed.bytes(t.text.as_bytes());
    }
    let _ = write!(feed, "{:?}", theme.strings);
    for (path, bytes) in &theme.statics {
        feed.bytes(path.as_bytes());
        feed.bytes(bytes);
    }
    feed.finish()
}

/// One agreement's unit: [`shared`] and the whole agreement (its figures are a pure function
/// of both). The records count through the digest of the bytes they were read from, so the
/// digest is the same whether they were read or left unread. Its revisions count too: a commit
/// that brings the records back to an earlier state still adds one, and so do the changes not
/// yet committed that `serve` shows (committing them changes nothing else).
pub(super) fn agreement(
    shared: u128,
    a: &Agreement,
    revisions: Option<&[crate::history::Revision]>,
    uncommitted: Option<&crate::history::Changes>,
) -> u128 {
    // Named one by one so that a new field of `Agreement` cannot be forgotten here.
    let Agreement {
        slug,
        title,
        kind,
        status,
        signed,
        start,
        end,
        summary,
        parties,
        facilitators,
        contacts,
        commodities,
        participants,
        offtakers,
        targets,
        milestones,
        documents,
        sources,
        issues,
        report,
        pages,
        records_digest,
        records: _,
    } = a;
    let mut feed = Feed::new();
    feed.bytes(&shared.to_le_bytes());
    feed.bytes(&records_digest.to_le_bytes());
    let _ = write!(
        feed,
        "{slug:?}|{title:?}|{kind:?}|{status:?}|{signed:?}|{start:?}|{end:?}|{summary:?}|\
         {parties:?}|{facilitators:?}|{contacts:?}|{commodities:?}|{participants:?}|\
         {offtakers:?}|{targets:?}|{milestones:?}|{documents:?}|{sources:?}|{issues:?}|\
         {report:?}|{pages:?}|{revisions:?}|{uncommitted:?}"
    );
    feed.finish()
}

/// The site's own pages: they show every agreement's title, status and figures, which are a
/// pure function of each agreement's unit (its fingerprint) and of [`shared`].
pub(super) fn site(shared: u128, agreements: impl Iterator<Item = u128>) -> u128 {
    let mut feed = Feed::new();
    feed.bytes(b"site");
    feed.bytes(&shared.to_le_bytes());
    for a in agreements {
        feed.bytes(&a.to_le_bytes());
    }
    feed.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_of_a_decimal_changes_the_digest() {
        let digest = |text: &str| {
            let mut f = Feed::new();
            let d: rust_decimal::Decimal = text.parse().unwrap();
            let _ = write!(f, "{d:?}");
            f.finish()
        };
        assert_ne!(digest("1.0"), digest("1.00"));
        assert_eq!(digest("2.5"), digest("2.5"));
    }
}
