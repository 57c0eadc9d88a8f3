// The ledger filter of agreements/<slug>/shipments/index.html. It reads the agreement's
// records.js (window.sinergiRecords: the columns of shipments.csv as codes, never labels; see
// docs/FORMAT.md) and, on a page whose language has notes of its own, notes.<lang>.js
// (window.sinergiNotes); it takes every label and number format from the page. Without this
// script the page is the static ledger: the filter section stays hidden. Sums are exact:
// quantities are scaled integers added as BigInt.
(function () {
  'use strict';
  var section = document.getElementById('ledger-filter');
  var R = window.sinergiRecords;
  if (!section || !Array.isArray(R) || typeof BigInt !== 'function') return;

  var HEADER = 'id,date,from,to,commodity,quantity,unit,status,verification,document,value_idr,sources,note';

  // The CSV cells of `text` from `at` up to its end or a line break outside quotes:
  // [cells, where it stopped].
  function cells(text, at) {
    var out = [];
    for (;;) {
      var value;
      if (text.charCodeAt(at) === 34) {
        value = '';
        at++;
        for (;;) {
          var q = text.indexOf('"', at);
          value += text.slice(at, q);
          at = q + 1;
          if (text.charCodeAt(at) !== 34) break;
          value += '"';
          at++;
        }
      } else {
        var stop = at;
        while (stop < text.length && text.charCodeAt(stop) !== 44 && text.charCodeAt(stop) !== 10) stop++;
        value = text.slice(at, stop);
        at = stop;
      }
      out.push(value);
      if (at >= text.length || text.charCodeAt(at) === 10) return [out, at];
      at++;
    }
  }

  function split(text) {
    return text.indexOf('"') < 0 ? text.split(',') : cells(text, 0)[0];
  }

  // A column of records.js for n records: its distinct values (`values`) and each record's
  // index into them (`index`). Empty: every value is ''; `values\n`: every record has the one
  // value; `values\ndigits`: each record's index as a digit; otherwise one value per record.
  function column(text, n) {
    var index = new Int32Array(n);
    if (!text) return { values: [''], index: index };
    var quoted = text.indexOf('"') >= 0;
    var head = quoted ? cells(text, 0) : null;
    var br = quoted ? head[1] : text.indexOf('\n');
    if (br < 0 || br >= text.length) {
      for (var i = 0; i < n; i++) index[i] = i;
      return { values: quoted ? head[0] : text.split(','), index: index };
    }
    var rest = text.slice(br + 1);
    if (rest) for (var d = 0; d < n; d++) index[d] = rest.charCodeAt(d) - 48;
    return { values: quoted ? head[0] : text.slice(0, br).split(','), index: index };
  }

  var ids = split(R[1]);
  var N = ids.length;
  var units = split(R[0]);
  // The columns, by their name in shipments.csv (`unit` is the commodity's).
  var C = {};
  ['id', 'date', 'from', 'to', 'commodity', 'quantity', 'status', 'verification', 'document', 'value_idr', 'sources', 'note', 'written', 'flags']
    .forEach(function (name, k) { C[name] = column(R[k + 1], N); });
  var notes = typeof window.sinergiNotes === 'string' ? column(window.sinergiNotes, N) : C.note;
  function value(name, i) { var c = C[name]; return c.values[c.index[i]]; }

  // Commodities in the agreement's order, with their unit and the decimals of their records.
  var commodities = [];
  for (var u = 0; u + 1 < units.length; u += 2) commodities.push({ id: units[u], unit: units[u + 1], scale: 0 });
  var commodityAt = C.commodity.values.map(function (id) {
    for (var k = 0; k < commodities.length; k++) if (commodities[k].id === id) return k;
    return -1;
  });

  var FACETS = ['commodity', 'from', 'to', 'status', 'verification'];
  // Each facet's codes as the page lists them ('to': '-' is "not published").
  var dict = {};
  // For each facet, a record's code as an index into dict[f].
  var facetOf = {};
  FACETS.forEach(function (f) {
    dict[f] = [];
    section.querySelectorAll('input[name="' + f + '"]').forEach(function (b) { dict[f].push(b.value); });
    var c = C[f];
    var at = c.values.map(function (code) {
      var key = f === 'to' && code === '' ? '-' : code;
      var k = dict[f].indexOf(key);
      if (k < 0) { dict[f].push(key); k = dict[f].length - 1; }
      return k;
    });
    var col = new Int32Array(N);
    for (var i = 0; i < N; i++) col[i] = at[c.index[i]];
    facetOf[f] = col;
  });
  var PAGE = 100;
  var ds = section.dataset;
  var pageSize = Number(ds.pageSize) || N;
  var months = ds.months.split('|');
  var labels = document.getElementById('filter-labels');
  var docLabel = {};
  var unitLabel = {};
  var sourceNumber = {};
  labels.querySelectorAll('[data-document]').forEach(function (e) { docLabel[e.dataset.document] = e.textContent; });
  labels.querySelectorAll('[data-unit]').forEach(function (e) { unitLabel[e.dataset.unit] = e.textContent; });
  labels.querySelectorAll('[data-source]').forEach(function (e) { sourceNumber[e.dataset.source] = e.textContent; });
  var choiceLabel = {};
  FACETS.forEach(function (f) { choiceLabel[f] = {}; });
  // Each choice's label, and after it the count of records it would give (filled by apply).
  section.querySelectorAll('input[type=checkbox]').forEach(function (box) {
    choiceLabel[box.name][box.value] = box.parentNode.firstChild.nextSibling.textContent.trim();
    var count = document.createElement('span');
    count.className = 'count';
    count.dataset.facet = box.name;
    count.dataset.id = box.value;
    box.parentNode.append(' ', count);
  });
  var form = document.getElementById('filter-form');
  var status = document.getElementById('filter-status');
  var totalsBody = document.querySelector('#filter-totals tbody');
  var rowsBox = document.getElementById('filter-rows');
  var rowsBody = rowsBox.querySelector('tbody');
  var pager = document.getElementById('filter-pager');
  var staticLedger = document.getElementById('ledger-static');
  var csvLink = document.getElementById('filter-csv');
  var choices = document.getElementById('filter-choices');
  var summary = document.getElementById('filter-summary');
  var matched = [];
  var page = 0;
  var quantities = null;
  var haystack = null;
  // A record counts on its day; a period record (`start/end`) on its last day, as in the
  // monthly subtotals.
  var countsOn = C.date.values.map(function (d) { return d.slice(d.indexOf('/') + 1); });
  var dateIndex = C.date.index;
  var planned = C.status.values.indexOf('planned');
  var statusIndex = C.status.index;
  // Each record's commodity as an index into `commodities`.
  var commodityOf = new Int32Array(N);
  for (var r = 0; r < N; r++) commodityOf[r] = commodityAt[C.commodity.index[r]];

  function fill(text, args) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in args ? args[k] : m; });
  }

  function grouped(int) {
    var out = '';
    for (var i = 0; i < int.length; i++) {
      if (i > 0 && (int.length - i) % 3 === 0) out += ds.group;
      out += int[i];
    }
    return out;
  }

  // A scaled integer as a decimal with every digit kept (trailing zeros dropped); `plain`
  // writes it as the CSV does, otherwise as the page's language does.
  function decimal(big, scale, plain) {
    var neg = big < 0n;
    var s = (neg ? -big : big).toString();
    while (s.length <= scale) s = '0' + s;
    var int = s.slice(0, s.length - scale);
    var frac = s.slice(s.length - scale).replace(/0+$/, '');
    var text = plain ? int : grouped(int);
    if (frac) text += (plain ? '.' : ds.decimal) + frac;
    return (neg ? '-' : '') + text;
  }

  function parseDecimal(text) {
    var parts = text.replace('-', '').split('.');
    var frac = parts[1] || '';
    return { big: BigInt(parts[0] + frac) * (text[0] === '-' ? -1n : 1n), scale: frac.length };
  }

  function number(text) {
    var d = parseDecimal(text);
    return decimal(d.big, d.scale, false);
  }

  function rupiah(text) {
    var d = parseDecimal(text);
    var unit = 10n ** BigInt(d.scale);
    var abs = d.big < 0n ? -d.big : d.big;
    var whole = abs / unit;
    if (d.scale > 0 && (abs % unit) * 2n >= unit) whole += 1n;
    return fill(ds.rupiah, { n: (d.big < 0n && whole > 0n ? '-' : '') + grouped(whole.toString()) });
  }

  function day(iso) {
    var p = iso.split('-');
    return fill(ds.dateFormat, { day: String(Number(p[2])), month: months[Number(p[1]) - 1], year: p[0] });
  }

  // Every quantity as a BigInt count of 10^-scale of its commodity's unit, the scale being
  // the most decimals any record of the commodity has.
  function quantityOf(i) {
    if (!quantities) {
      var q = C.quantity;
      var decimals = q.values.map(function (d) { var dot = d.indexOf('.'); return dot < 0 ? 0 : d.length - dot - 1; });
      for (var k = 0; k < N; k++) {
        var c = commodities[commodityOf[k]];
        if (c && decimals[q.index[k]] > c.scale) c.scale = decimals[q.index[k]];
      }
      quantities = new Array(N);
      for (var j = 0; j < N; j++) {
        var com = commodities[commodityOf[j]];
        var text = q.values[q.index[j]];
        var parts = text.split('.');
        var frac = (parts[1] || '').padEnd(com ? com.scale : 0, '0');
        quantities[j] = BigInt(parts[0] + frac);
      }
    }
    return quantities[i];
  }

  // Lower case without accents, so that `sere` finds `Séré`.
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function noteOf(i) {
    return notes.values[notes.index[i]];
  }

  function searchable(i) {
    if (!haystack) {
      haystack = new Array(N);
      for (var k = 0; k < N; k++) {
        var d = value('document', k);
        haystack[k] = fold(ids[k] + '\n' + (d ? d + ' ' + (docLabel[d] || '') : '') + '\n' + noteOf(k));
      }
    }
    return haystack[i];
  }

  // --- state <-> URL <-> form ---
  function readQuery(search) {
    var params = new URLSearchParams(search);
    var state = { start: params.get('start') || '', end: params.get('end') || '', q: params.get('q') || '' };
    FACETS.forEach(function (f) { state[f] = params.getAll(f); });
    return state;
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    FACETS.forEach(function (f) {
      dict[f].forEach(function (code) { if (state[f].indexOf(code) >= 0) params.append(f, code); });
    });
    ['start', 'end', 'q'].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var text = params.toString();
    return text ? '?' + text : '';
  }

  function readForm() {
    var state = { start: form.elements.start.value, end: form.elements.end.value, q: form.elements.q.value.trim() };
    FACETS.forEach(function (f) {
      state[f] = [];
      form.querySelectorAll('input[name="' + f + '"]:checked').forEach(function (b) { state[f].push(b.value); });
    });
    return state;
  }

  function writeForm(state) {
    FACETS.forEach(function (f) {
      form.querySelectorAll('input[name="' + f + '"]').forEach(function (b) { b.checked = state[f].indexOf(b.value) >= 0; });
    });
    form.elements.start.value = state.start;
    form.elements.end.value = state.end;
    form.elements.q.value = state.q;
  }

  function isEmpty(state) {
    return !state.start && !state.end && !state.q && FACETS.every(function (f) { return state[f].length === 0; });
  }

  // The active filter in words, beside the disclosure that holds the form.
  function summarize(state) {
    if (isEmpty(state)) return ds.none;
    var parts = [];
    FACETS.forEach(function (f) {
      var names = state[f].map(function (code) { return choiceLabel[f][code] || code; });
      if (names.length) parts.push(names.join(', '));
    });
    var when = function (d) { return /^\d{4}-\d\d-\d\d$/.test(d) ? day(d) : d || '…'; };
    if (state.start || state.end) parts.push(when(state.start) + ' – ' + when(state.end));
    if (state.q) parts.push('“' + state.q + '”');
    return parts.join(' · ');
  }

  // --- filtering ---
  function apply(state) {
    var allowed = {};
    FACETS.forEach(function (f) {
      var codes = state[f];
      allowed[f] = codes.length ? dict[f].map(function (c) { return codes.indexOf(c) >= 0; }) : null;
    });
    var counts = {};
    FACETS.forEach(function (f) { counts[f] = new Array(dict[f].length).fill(0); });
    var q = fold(state.q);
    var start = state.start;
    var end = state.end;
    var dated = Boolean(start || end);
    matched = [];
    for (var i = 0; i < N; i++) {
      if (dated) {
        var when = countsOn[dateIndex[i]];
        if ((start && when < start) || (end && when > end)) continue;
      }
      if (q && searchable(i).indexOf(q) < 0) continue;
      var failed = -1;
      var fails = 0;
      for (var k = 0; k < FACETS.length; k++) {
        var a = allowed[FACETS[k]];
        if (a && !a[facetOf[FACETS[k]][i]]) { fails++; failed = k; if (fails > 1) break; }
      }
      // Facet counts: how many records each choice would give, with the other choices kept.
      if (fails === 0) {
        for (var j = 0; j < FACETS.length; j++) counts[FACETS[j]][facetOf[FACETS[j]][i]]++;
        matched.push(i);
      } else if (fails === 1) {
        counts[FACETS[failed]][facetOf[FACETS[failed]][i]]++;
      }
    }
    section.querySelectorAll('.count').forEach(function (span) {
      var f = span.dataset.facet;
      span.textContent = '(' + grouped(String(counts[f][dict[f].indexOf(span.dataset.id)])) + ')';
    });
    var key = matched.length === 1 ? ds.matchesOne : ds.matches;
    status.textContent = fill(key, { n: grouped(String(matched.length)), total: grouped(String(N)) });
    showTotals();
    page = 0;
    var empty = isEmpty(state);
    summary.textContent = summarize(state);
    staticLedger.hidden = !empty;
    rowsBox.hidden = empty;
    showRows();
  }

  function showTotals() {
    var sums = commodities.map(function () { return { done: 0n, doneN: 0, planned: 0n, plannedN: 0 }; });
    for (var k = 0; k < matched.length; k++) {
      var i = matched[k];
      var s = sums[commodityOf[i]];
      if (!s) continue;
      if (statusIndex[i] === planned) { s.planned += quantityOf(i); s.plannedN++; } else { s.done += quantityOf(i); s.doneN++; }
    }
    totalsBody.textContent = '';
    var heads = document.querySelectorAll('#filter-totals thead th');
    commodities.forEach(function (c, ci) {
      var s = sums[ci];
      if (s.doneN + s.plannedN === 0) return;
      var unit = ' ' + (unitLabel[c.unit] || c.unit);
      var tr = document.createElement('tr');
      tr.dataset.commodity = c.id;
      cell(tr, 'th', choiceLabel.commodity[c.id] || c.id).scope = 'row';
      cell(tr, 'td', decimal(s.done, c.scale, false) + unit, 'num').dataset.exact = decimal(s.done, c.scale, true);
      cell(tr, 'td', grouped(String(s.doneN)), 'num');
      cell(tr, 'td', decimal(s.planned, c.scale, false) + unit, 'num').dataset.exact = decimal(s.planned, c.scale, true);
      cell(tr, 'td', grouped(String(s.plannedN)), 'num');
      for (var k = 0; k < tr.cells.length; k++) tr.cells[k].dataset.label = heads[k].textContent;
      totalsBody.appendChild(tr);
    });
  }

  function cell(tr, tag, text, cls) {
    var c = document.createElement(tag);
    c.textContent = text;
    if (cls) c.className = cls;
    tr.appendChild(c);
    return c;
  }

  function showRows() {
    var pages = Math.max(1, Math.ceil(matched.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    rowsBody.textContent = '';
    var heads = rowsBox.querySelectorAll('thead th');
    var end = Math.min(matched.length, (page + 1) * PAGE);
    for (var k = page * PAGE; k < end; k++) {
      rowsBody.appendChild(row(matched[k], heads));
      var month = monthOf(matched[k]);
      if (k + 1 === matched.length || monthOf(matched[k + 1]) !== month) subtotals(month, k);
    }
    pager.hidden = rowsBox.hidden || pages < 2;
    document.getElementById('filter-page').textContent = fill(ds.page, { n: page + 1, count: pages });
    document.getElementById('filter-prev').disabled = page === 0;
    document.getElementById('filter-next').disabled = page + 1 >= pages;
  }

  // The month a record counts in (`YYYY-MM`).
  function monthOf(i) {
    return countsOn[dateIndex[i]].slice(0, 7);
  }

  // After a month's last matching record (matched[last]), as in the static ledger: per
  // commodity, the month's matching records that are not planned, summed exactly.
  function subtotals(month, last) {
    var sums = commodities.map(function () { return null; });
    for (var k = last; k >= 0 && monthOf(matched[k]) === month; k--) {
      var i = matched[k];
      if (statusIndex[i] === planned) continue;
      var c = commodityOf[i];
      sums[c] = (sums[c] || 0n) + quantityOf(i);
    }
    var p = month.split('-');
    var label = ds.subtotal + ' ' + months[Number(p[1]) - 1] + ' ' + p[0];
    commodities.forEach(function (c, ci) {
      if (sums[ci] === null) return;
      var tr = document.createElement('tr');
      tr.className = 'subtotal';
      var th = cell(tr, 'th', label);
      th.scope = 'row';
      th.colSpan = 2;
      cell(tr, 'td', choiceLabel.commodity[c.id] || c.id);
      cell(tr, 'td', '');
      cell(tr, 'td', decimal(sums[ci], c.scale, false) + ' ' + (unitLabel[c.unit] || c.unit), 'num');
      cell(tr, 'td', '').colSpan = 2;
      rowsBody.appendChild(tr);
    });
  }

  // Where record i is in the static ledger: its page (the first is index.html) and row.
  function recordHref(i) {
    var p = Math.floor(i / pageSize);
    return (p === 0 ? 'index.html' : 'page-' + (p + 1) + '.html') + '#' + encodeURIComponent(ids[i]);
  }

  function row(i, heads) {
    var tr = document.createElement('tr');
    var st = value('status', i);
    tr.className = 'status-' + st;
    var c = commodities[commodityOf[i]];
    var texts = [];
    var date = value('date', i).split('/');
    var when = date.length > 1 ? day(date[0]) + ' – ' + day(date[1]) : day(date[0]);
    var qty = decimal(quantityOf(i), c.scale, false) + ' ' + (unitLabel[c.unit] || c.unit);
    var w = value('written', i).split(' ');
    var written = w.length > 1 ? number(w[0]) + ' ' + (unitLabel[w[1]] || w[1]) : qty;
    var flags = value('flags', i).split(' ');
    texts.push(when + (date.length > 1 ? ' (' + ds.period + ')' : ''));
    texts.push(choiceLabel.from[value('from', i)] + ' → ' + choiceLabel.to[value('to', i) || '-']);
    texts.push(choiceLabel.commodity[c.id] || c.id);
    texts.push((flags.indexOf('approx') >= 0 ? '± ' : '') + written);
    texts.push(w.length > 1 ? qty : '=');
    texts.push(choiceLabel.status[st] + ' · ' + choiceLabel.verification[value('verification', i)] + (flags.indexOf('illustrative') >= 0 ? ' · ' + ds.illustrative : ''));
    texts.forEach(function (t, k) {
      var td = cell(tr, 'td', t, k === 3 || k === 4 ? 'num' : '');
      td.dataset.label = heads[k].textContent;
    });
    // Sources numbered as everywhere, linking the dashboard's list (the static ledger's own list
    // is hidden with it), then the id, linking the record's row in the static ledger, the
    // document, value and note.
    var last = cell(tr, 'td', '');
    last.dataset.label = heads[6].textContent;
    var sources = value('sources', i);
    (sources ? sources.split(';') : []).forEach(function (id, k) {
      if (k > 0) last.appendChild(document.createTextNode(' '));
      var a = document.createElement('a');
      a.href = '../index.html#source-' + encodeURIComponent(id);
      a.textContent = '[' + (sourceNumber[id] || id) + ']';
      last.appendChild(a);
    });
    if (last.firstChild) last.appendChild(document.createElement('br'));
    var link = document.createElement('a');
    link.href = recordHref(i);
    link.textContent = ids[i];
    last.appendChild(link);
    var more = [];
    var doc = value('document', i);
    if (doc) more.push(labels.dataset.documentLabel + ': ' + (docLabel[doc] || doc));
    var idr = value('value_idr', i);
    if (idr) more.push(labels.dataset.valueLabel + ': ' + rupiah(idr));
    var note = noteOf(i);
    if (note) more.push(note);
    more.forEach(function (text) {
      last.appendChild(document.createElement('br'));
      last.appendChild(document.createTextNode(text));
    });
    return tr;
  }

  // --- the download, in the columns of shipments.csv ---
  function csvCell(text) {
    var c = /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
    return /[,"\n\r]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c;
  }

  var CSV_COLUMNS = HEADER.split(',');

  function csv() {
    var lines = [HEADER];
    for (var k = 0; k < matched.length; k++) {
      var i = matched[k];
      lines.push(CSV_COLUMNS.map(function (name) {
        return csvCell(name === 'unit' ? commodities[commodityOf[i]].unit : value(name, i));
      }).join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }

  var blobUrl = null;
  csvLink.addEventListener('click', function () {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = URL.createObjectURL(new Blob([csv()], { type: 'text/csv;charset=utf-8' }));
    csvLink.href = blobUrl;
  });

  // --- events ---
  function go(state, push) {
    var query = toQuery(state);
    if (push && query !== location.search) history.pushState(null, '', location.pathname + query);
    apply(state);
  }

  form.addEventListener('change', function () { go(readForm(), true); });
  form.addEventListener('submit', function (e) { e.preventDefault(); go(readForm(), true); });
  form.addEventListener('reset', function (e) {
    e.preventDefault();
    var state = readQuery('');
    writeForm(state);
    go(state, true);
  });
  var typing = null;
  form.elements.q.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(function () { go(readForm(), true); }, 250);
  });
  document.getElementById('filter-prev').addEventListener('click', function () { page--; showRows(); });
  document.getElementById('filter-next').addEventListener('click', function () { page++; showRows(); });
  window.addEventListener('popstate', function () {
    var state = readQuery(location.search);
    writeForm(state);
    apply(state);
  });

  var initial = readQuery(location.search);
  writeForm(initial);
  // On a phone the form is long: closed until asked for, unless a shared link set a filter.
  choices.open = !isEmpty(initial) || window.matchMedia('(min-width: 48em)').matches;
  section.hidden = false;
  apply(initial);
})();
