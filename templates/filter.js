// The ledger filter of agreements/<slug>/shipments/index.html. It reads the agreement's
// records.js (window.sinergiRecords: codes, never labels) and takes every label and number
// format from the page. Without this script the page is the static ledger: the filter section
// stays hidden. Sums are exact: quantities are scaled integers added as BigInt.
(function () {
  'use strict';
  var section = document.getElementById('ledger-filter');
  var D = window.sinergiRecords;
  if (!section || !D || typeof BigInt !== 'function') return;

  var FACETS = ['commodity', 'from', 'to', 'status', 'verification'];
  // Each facet: the record column and the codes its indexes point to ('to': -1 is '-').
  var dict = {
    commodity: D.commodities.map(function (c) { return c.id; }),
    from: D.participants,
    to: D.offtakers.concat(['-']),
    status: D.statuses,
    verification: D.verifications,
  };
  var column = {
    commodity: D.commodity,
    from: D.from,
    to: D.to.map(function (x) { return x < 0 ? D.offtakers.length : x; }),
    status: D.status,
    verification: D.verification,
  };
  var N = D.id.length;
  var PAGE = 100;
  var ds = section.dataset;
  var months = ds.months.split('|');
  var labels = document.getElementById('filter-labels');
  var docLabel = {};
  var unitLabel = {};
  labels.querySelectorAll('[data-document]').forEach(function (e) { docLabel[e.dataset.document] = e.textContent; });
  labels.querySelectorAll('[data-unit]').forEach(function (e) { unitLabel[e.dataset.unit] = e.textContent; });
  var choiceLabel = {};
  FACETS.forEach(function (f) { choiceLabel[f] = {}; });
  section.querySelectorAll('input[type=checkbox]').forEach(function (box) {
    choiceLabel[box.name][box.value] = box.parentNode.firstChild.nextSibling.textContent.trim();
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

  function quantityOf(i) {
    if (!quantities) quantities = D.quantity.map(function (q) { return BigInt(q); });
    return quantities[i];
  }

  // Lower case without accents, so that `sere` finds `Séré`.
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function noteOf(i) {
    var other = D.note_in[document.documentElement.lang];
    return other && other[i] !== undefined ? other[i] : D.note[i];
  }

  function searchable(i) {
    if (!haystack) {
      haystack = new Array(N);
      for (var k = 0; k < N; k++) {
        var d = D.document[k] < 0 ? '' : D.documents[D.document[k]] + ' ' + (docLabel[D.documents[D.document[k]]] || '');
        haystack[k] = fold(D.id[k] + '\n' + d + '\n' + noteOf(k));
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
    matched = [];
    for (var i = 0; i < N; i++) {
      // A record counts on its day; a period record on its last day, as in the monthly subtotals.
      var when = D.end[i] || D.date[i];
      if ((start && when < start) || (end && when > end)) continue;
      if (q && searchable(i).indexOf(q) < 0) continue;
      var failed = -1;
      var fails = 0;
      for (var k = 0; k < FACETS.length; k++) {
        var a = allowed[FACETS[k]];
        if (a && !a[column[FACETS[k]][i]]) { fails++; failed = k; if (fails > 1) break; }
      }
      // Facet counts: how many records each choice would give, with the other choices kept.
      if (fails === 0) {
        for (var j = 0; j < FACETS.length; j++) counts[FACETS[j]][column[FACETS[j]][i]]++;
        matched.push(i);
      } else if (fails === 1) {
        counts[FACETS[failed]][column[FACETS[failed]][i]]++;
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
    var sums = D.commodities.map(function () { return { done: 0n, doneN: 0, planned: 0n, plannedN: 0 }; });
    var planned = D.statuses.indexOf('planned');
    for (var k = 0; k < matched.length; k++) {
      var i = matched[k];
      var s = sums[D.commodity[i]];
      if (D.status[i] === planned) { s.planned += quantityOf(i); s.plannedN++; } else { s.done += quantityOf(i); s.doneN++; }
    }
    totalsBody.textContent = '';
    var heads = document.querySelectorAll('#filter-totals thead th');
    D.commodities.forEach(function (c, ci) {
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
    for (var k = page * PAGE; k < end; k++) rowsBody.appendChild(row(matched[k], heads));
    pager.hidden = rowsBox.hidden || pages < 2;
    document.getElementById('filter-page').textContent = fill(ds.page, { n: page + 1, count: pages });
    document.getElementById('filter-prev').disabled = page === 0;
    document.getElementById('filter-next').disabled = page + 1 >= pages;
  }

  function row(i, heads) {
    var tr = document.createElement('tr');
    tr.className = 'status-' + D.statuses[D.status[i]];
    var c = D.commodities[D.commodity[i]];
    var texts = [];
    var when = D.end[i] ? day(D.date[i]) + ' – ' + day(D.end[i]) : day(D.date[i]);
    var to = D.to[i] < 0 ? choiceLabel.to['-'] : choiceLabel.to[D.offtakers[D.to[i]]];
    var qty = decimal(quantityOf(i), c.scale, false) + ' ' + (unitLabel[c.unit] || c.unit);
    var w = D.written[i];
    var written = w ? number(w[0]) + ' ' + unitLabel[D.units[w[1]]] : qty;
    texts.push(when + (D.end[i] ? ' (' + ds.period + ')' : ''));
    texts.push(choiceLabel.from[D.participants[D.from[i]]] + ' → ' + to);
    texts.push(choiceLabel.commodity[c.id] || c.id);
    texts.push((D.approx[i] ? '± ' : '') + written);
    texts.push(w ? qty : '=');
    var st = D.statuses[D.status[i]];
    var ve = D.verifications[D.verification[i]];
    texts.push(choiceLabel.status[st] + ' · ' + choiceLabel.verification[ve] + (D.illustrative[i] ? ' · ' + ds.illustrative : ''));
    texts.forEach(function (t, k) {
      var td = cell(tr, 'td', t, k === 3 || k === 4 ? 'num' : '');
      td.dataset.label = heads[k].textContent;
    });
    // Sources as the static ledger links them (their numbers on the dashboard), then the id,
    // document, value and note.
    var last = cell(tr, 'td', '');
    last.dataset.label = heads[6].textContent;
    D.source[i].forEach(function (x, k) {
      if (k > 0) last.appendChild(document.createTextNode(' '));
      var a = document.createElement('a');
      a.href = '../index.html#source-' + encodeURIComponent(D.sources[x]);
      a.textContent = '[' + (x + 1) + ']';
      last.appendChild(a);
    });
    var more = [D.id[i]];
    if (D.document[i] >= 0) more.push(labels.dataset.documentLabel + ': ' + (docLabel[D.documents[D.document[i]]] || D.documents[D.document[i]]));
    if (D.value_idr[i]) more.push(labels.dataset.valueLabel + ': ' + rupiah(D.value_idr[i]));
    var note = noteOf(i);
    if (note) more.push(note);
    more.forEach(function (text) {
      if (last.firstChild) last.appendChild(document.createElement('br'));
      last.appendChild(document.createTextNode(text));
    });
    return tr;
  }

  // --- the download, in the columns of shipments.csv ---
  function csvCell(text) {
    var c = /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
    return /[,"\n\r]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c;
  }

  function csv() {
    var lines = [D.csv];
    for (var k = 0; k < matched.length; k++) {
      var i = matched[k];
      var c = D.commodities[D.commodity[i]];
      lines.push([
        D.id[i],
        D.end[i] ? D.date[i] + '/' + D.end[i] : D.date[i],
        D.participants[D.from[i]],
        D.to[i] < 0 ? '' : D.offtakers[D.to[i]],
        c.id,
        decimal(quantityOf(i), c.scale, true),
        c.unit,
        D.statuses[D.status[i]],
        D.verifications[D.verification[i]],
        D.document[i] < 0 ? '' : D.documents[D.document[i]],
        D.value_idr[i] || '',
        D.source[i].map(function (x) { return D.sources[x]; }).join(';'),
        D.note[i],
      ].map(csvCell).join(','));
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
