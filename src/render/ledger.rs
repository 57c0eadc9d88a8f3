//! The ledger's table rows, written by sinergi in the fixed markup docs/TEMPLATES.md shows
//! (`page.rows_html`): a row per record and, after each month's last record, a subtotal row
//! per commodity. A ledger has a row per record, so running a template loop over a template
//! value per record was about half the render time of a large site; the theme's
//! `ledger.html` keeps everything around the rows. A row links its sources to the page's own
//! list of them (`#S<n>`), not to the dashboard's: a short link, and the reader stays on the page.

use std::collections::BTreeSet;

use super::context::RecordRow;
use super::views::Lang;
use crate::model::ShipmentStatus;

/// Bytes reserved per row before the first page's rows are written; later pages start from
/// the size of the page before them.
const ROW_BYTES: usize = 256;

/// The interface words the rows show, looked up once per page language.
pub(super) struct Words<'a> {
    period_record: &'a str,
    not_published: &'a str,
    illustrative: &'a str,
    record_revised: &'a str,
    document: &'a str,
    value: &'a str,
}

impl<'a> Words<'a> {
    pub(super) fn new(l: &Lang<'a>) -> Words<'a> {
        Words {
            period_record: l.s("period_record"),
            not_published: l.s("not_published"),
            illustrative: l.s("illustrative"),
            record_revised: l.s("record_revised"),
            document: l.s("document"),
            value: l.s("value"),
        }
    }
}

/// One page's rows as HTML, every text in it escaped, and the numbers of the sources they cite.
pub(super) struct Rows {
    html: Vec<u8>,
    cited: BTreeSet<usize>,
}

impl Rows {
    /// Room for `rows` rows, or for as many bytes as `previous` page took.
    pub(super) fn with_capacity(rows: usize, previous: usize) -> Rows {
        Rows {
            html: Vec::with_capacity(previous.max(rows * ROW_BYTES)),
            cited: BTreeSet::new(),
        }
    }

    fn raw(&mut self, markup: &str) {
        self.html.extend_from_slice(markup.as_bytes());
    }

    /// Text escaped as the templates escape it (tera's own escaper), so a row reads the same
    /// whether sinergi or a template wrote it.
    fn text(&mut self, text: &str) {
        // Writing into a Vec cannot fail.
        let _ = tera::escape_html(text, &mut self.html);
    }

    /// An attribute's value: `fixed` (markup, needing no quotes) followed by `text`, without
    /// quotes when HTML allows (every byte of `text` a letter, a digit or one of `-_.:`), else
    /// quoted and escaped.
    fn value(&mut self, fixed: &str, text: &str) {
        let bare = |b: &u8| b.is_ascii_alphanumeric() || b"-_.:".contains(b);
        if !(fixed.is_empty() && text.is_empty()) && text.as_bytes().iter().all(bare) {
            self.raw(fixed);
            self.raw(text);
        } else {
            self.raw("\"");
            self.raw(fixed);
            self.text(text);
            self.raw("\"");
        }
    }

    /// A record's row: its id as the anchor, then the seven columns of the header.
    pub(super) fn record(&mut self, r: &RecordRow, w: &Words) {
        self.raw("<tr id=");
        self.value("", r.id);
        if r.status == ShipmentStatus::Planned {
            self.raw(" class=status-planned");
        }
        self.raw("><td>");
        self.text(&r.when);
        if r.is_period {
            self.raw("<br><span class=muted>");
            self.text(w.period_record);
            self.raw("</span>");
        }
        self.raw("<td>");
        self.text(r.from.unwrap_or(""));
        self.raw(" → ");
        match given(r.to) {
            Some(to) => self.text(to),
            None => {
                self.raw("<em class=muted>");
                self.text(w.not_published);
                self.raw("</em>");
            }
        }
        self.raw("<td>");
        self.text(r.commodity.unwrap_or(""));
        self.raw("<td>");
        if r.approx {
            self.raw("± ");
        }
        self.text(&r.written);
        // Empty when the quantity is already in the commodity's unit: the stylesheet shows `=`.
        self.raw("<td>");
        if !r.same_unit {
            self.text(&r.quantity);
        }
        self.raw("<td><b>");
        self.text(r.status_label);
        self.raw("</b> <b>");
        self.text(r.verification_label);
        self.raw("</b>");
        if r.illustrative {
            self.raw(" <b class=warn>");
            self.text(w.illustrative);
            self.raw("</b>");
        }
        if let Some(commit) = given(r.revised) {
            self.raw(" <a href=");
            self.value("../history/index.html#commit-", commit);
            self.raw(">");
            self.text(w.record_revised);
            self.raw("</a>");
        }
        self.raw("<td>");
        for (i, s) in r.sources.iter().enumerate() {
            if i > 0 {
                self.raw(" ");
            }
            let n = s.n.to_string();
            self.raw("<a href=#S");
            self.raw(&n);
            self.raw(">[");
            self.raw(&n);
            self.raw("]</a>");
            self.cited.insert(s.n);
        }
        for (label, value) in [(w.document, r.document), (w.value, r.value.as_deref())] {
            if let Some(value) = given(value) {
                self.raw("<br>");
                self.text(label);
                self.raw(": ");
                self.text(value);
            }
        }
        if let Some(note) = given(r.note) {
            self.raw("<br><span class=note>");
            self.text(note);
            self.raw("</span>");
        }
        self.raw("\n");
    }

    /// A month's delivered total of one commodity, in the columns of the records' quantities.
    pub(super) fn subtotal(&mut self, label: &str, commodity: &str, quantity: &str) {
        self.raw("<tr class=subtotal><th scope=row colspan=2>");
        self.text(label);
        self.raw("<td>");
        self.text(commodity);
        self.raw("<td><td>");
        self.text(quantity);
        self.raw("<td colspan=2>\n");
    }

    pub(super) fn len(&self) -> usize {
        self.html.len()
    }

    /// The numbers of the sources the rows cite, in order: the page lists these, each with the
    /// anchor `S<n>` the rows link.
    pub(super) fn cited(&self) -> &BTreeSet<usize> {
        &self.cited
    }

    /// The rows as a template value marked safe: the template writes them as they are.
    pub(super) fn into_value(self) -> tera::Value {
        tera::Value::safe_string(&String::from_utf8_lossy(&self.html))
    }
}

/// A text the row shows: given and not empty (what a template's `{% if %}` holds true).
fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Verification;
    use crate::render::context::SourceRef;

    const WORDS: Words = Words {
        period_record: "period total",
        not_published: "not published",
        illustrative: "illustrative",
        record_revised: "revised",
        document: "Document",
        value: "Value",
    };

    fn row<'a>() -> RecordRow<'a> {
        RecordRow {
            kind: "record",
            id: "r-1",
            when: "1 June 2022".into(),
            is_period: false,
            from: Some("Farmers <&> Co"),
            to: None,
            commodity: Some("Rice"),
            written: "10 t".into(),
            quantity: "10 t".into(),
            same_unit: true,
            status: ShipmentStatus::Shipped,
            status_label: "shipped",
            verification: Verification::Reported,
            verification_label: "reported",
            sources: vec![SourceRef { id: "a", n: 1 }],
            document: None,
            value: None,
            approx: false,
            illustrative: false,
            note: None,
            revised: None,
        }
    }

    #[test]
    fn a_plain_record_is_one_line_of_seven_cells() {
        let mut rows = Rows::with_capacity(1, 0);
        rows.record(&row(), &WORDS);
        assert_eq!(
            String::from_utf8(rows.html).unwrap(),
            "<tr id=r-1><td>1 June 2022<td>Farmers &lt;&amp;&gt; Co → <em class=muted>not \
             published</em><td>Rice<td>10 t<td><td><b>shipped</b> <b>reported</b><td><a \
             href=#S1>[1]</a>\n"
        );
    }

    #[test]
    fn every_optional_part_is_written_and_escaped() {
        let mut r = row();
        r.status = ShipmentStatus::Planned;
        r.is_period = true;
        r.to = Some("Market");
        r.same_unit = false;
        r.written = "10.000 kg".into();
        r.approx = true;
        r.illustrative = true;
        r.revised = Some("abc");
        r.sources.push(SourceRef {
            id: "b \"2\"",
            n: 2,
        });
        r.document = Some("Deed \"7\"");
        r.value = Some("Rp1.000".into());
        r.note = Some("<script>alert(1)</script>");
        let mut rows = Rows::with_capacity(1, 0);
        rows.record(&r, &WORDS);
        rows.subtotal("Subtotal June 2022", "Rice", "10 t");
        assert_eq!(rows.cited().iter().copied().collect::<Vec<_>>(), [1, 2]);
        let html = String::from_utf8(rows.html).unwrap();
        assert_eq!(
            html,
            "<tr id=r-1 class=status-planned><td>1 June 2022<br><span class=muted>period \
             total</span><td>Farmers &lt;&amp;&gt; Co → Market<td>Rice<td>± 10.000 kg<td>10 \
             t<td><b>shipped</b> <b>reported</b> <b class=warn>illustrative</b> <a \
             href=../history/index.html#commit-abc>revised</a><td><a href=#S1>[1]</a> <a \
             href=#S2>[2]</a><br>Document: Deed &quot;7&quot;<br>Value: Rp1.000<br><span \
             class=note>&lt;script&gt;alert(1)&lt;/script&gt;</span>\n\
             <tr class=subtotal><th scope=row colspan=2>Subtotal June 2022<td>Rice<td><td>10 \
             t<td colspan=2>\n"
        );
    }
}
