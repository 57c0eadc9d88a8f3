// The site search of search/index.html. It reads the language's search/index.js
// (window.sinergiSearch: entries and their folded words, sorted) and takes every word it shows
// from the page. A query matches the entries that hold, for each of its words, a word starting
// with it, ignoring case and accents. Results are built with textContent, never as markup.
// Without this script the page says that search needs JavaScript.
(function () {
  'use strict';
  var section = document.getElementById('search');
  var I = window.sinergiSearch;
  if (!section || !I) return;

  var ds = section.dataset;
  var PAGE = 50;
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-list');
  var more = document.getElementById('search-more');
  var kindLabel = {};
  document.querySelectorAll('#search-kinds [data-kind]').forEach(function (e) {
    kindLabel[e.dataset.kind] = e.textContent;
  });
  var rank = {};
  I.kinds.forEach(function (k, i) { if (!(k.code in rank)) rank[k.code] = i; });
  var results = [];
  var shown = 0;

  // Must fold exactly as the index was folded (src/render/search.rs).
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function words(text) {
    return fold(text).match(/[\p{Alphabetic}\p{N}]+/gu) || [];
  }

  function grouped(n) {
    var s = String(n);
    var out = '';
    for (var i = 0; i < s.length; i++) {
      if (i > 0 && (s.length - i) % 3 === 0) out += ds.group;
      out += s[i];
    }
    return out;
  }

  function fill(text, args) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in args ? args[k] : m; });
  }

  // The first word not before `prefix` (UTF-16 order, the order of I.words).
  function lowerBound(prefix) {
    var lo = 0;
    var hi = I.words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (I.words[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The entries holding a word that starts with `prefix`.
  function entriesOf(prefix) {
    var found = new Set();
    for (var w = lowerBound(prefix); w < I.words.length && I.words[w].startsWith(prefix); w++) {
      var e = 0;
      var list = I.entries[w];
      for (var k = 0; k < list.length; k++) {
        e += list[k];
        found.add(e);
      }
    }
    return found;
  }

  function search(query) {
    var q = words(query);
    if (!q.length) return [];
    var sets = q.map(entriesOf).sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    sets[0].forEach(function (e) {
      for (var s = 1; s < sets.length; s++) if (!sets[s].has(e)) return;
      hits.push(e);
    });
    // Entries whose title holds the query's words come first, whole words before prefixes.
    var score = {};
    hits.forEach(function (e) {
      var title = words(I.title[e]);
      var n = 0;
      q.forEach(function (w) {
        if (title.indexOf(w) >= 0) n += 3;
        else if (title.some(function (t) { return t.startsWith(w); })) n += 2;
      });
      score[e] = n;
    });
    return hits.sort(function (a, b) {
      return score[b] - score[a] || rank[I.kinds[I.kind[a]].code] - rank[I.kinds[I.kind[b]].code] || a - b;
    });
  }

  function href(e) {
    var a = I.agreement[e];
    var path = I.kinds[I.kind[e]].path
      .replace('{a}', a < 0 ? '' : encodeURIComponent(I.slugs[a]))
      .replace('{id}', encodeURIComponent(I.id[e]));
    return ds.root + path;
  }

  function item(e) {
    var li = document.createElement('li');
    var link = document.createElement('a');
    link.href = href(e);
    link.textContent = I.title[e];
    var kind = document.createElement('span');
    kind.className = 'badge';
    kind.textContent = kindLabel[I.kinds[I.kind[e]].code] || '';
    li.appendChild(link);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(kind);
    var a = I.agreement[e];
    var context = [];
    if (a >= 0 && I.kinds[I.kind[e]].code !== 'agreement') context.push(I.titles[a]);
    if (I.context[e]) context.push(I.context[e]);
    if (context.length) {
      var p = document.createElement('p');
      p.className = 'muted';
      p.textContent = context.join(' · ');
      li.appendChild(p);
    }
    return li;
  }

  function showMore() {
    var end = Math.min(results.length, shown + PAGE);
    for (; shown < end; shown++) list.appendChild(item(results[shown]));
    more.hidden = shown >= results.length;
  }

  function run(query) {
    var start = performance.now();
    results = search(query);
    shown = 0;
    list.textContent = '';
    var q = query.trim();
    if (!words(q).length) status.textContent = ds.empty;
    else if (!results.length) status.textContent = fill(ds.none, { q: q });
    else status.textContent = fill(results.length === 1 ? ds.foundOne : ds.found, { n: grouped(results.length), q: q });
    showMore();
    // For tests/browser/bench-search.mjs: the search and the first results in the DOM.
    performance.measure('sinergi-search', { start: start });
  }

  function fromAddress() {
    var q = new URLSearchParams(location.search).get('q') || '';
    input.value = q;
    var header = document.getElementById('site-search-q');
    if (header) header.value = q;
    run(q);
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.pushState(null, '', url.search);
    run(input.value);
  });
  more.addEventListener('click', function () {
    var first = shown;
    showMore();
    var next = list.children[first];
    if (next) next.firstChild.focus();
  });
  window.addEventListener('popstate', fromAddress);
  document.getElementById('search-nojs').hidden = true;
  section.hidden = false;
  fromAddress();
})();
