/* Find a number: every published figure a number typed as printed could stand for.
 *
 * Runs in the browser, no server: the observations are in window.FIND_DATA (assets/find-data.js,
 * written by analysis.site from data/processed/observations.csv); the page's texts are in
 * <script id="find-texts">. The rounding rule mirrors analysis.checks.printed(): a printed number
 * stands for the interval its rounding allows, a published value for the interval its qualifier
 * allows, and the two agree when the intervals overlap (analysis.checks.Interval.overlaps).
 * window.findNumber exposes the functions (the site's tests compare them with analysis.checks).
 */
(function () {
  'use strict';
  var NNBSP = '\u202f';
  var EPS = 1e-9;
  var LIMIT = 200; // rows shown per group
  var PERCENT_UNITS = {percent: 1, percent_change: 1, percentage_points_change: 1};
  var BOUNDS = {at_least: 1, at_most: 1, less_than: 1};

  // --- mirrors analysis.checks ------------------------------------------------------------------

  // checks._step for a whole number: the last non-zero digit is the rounding unit
  // (20,500,000 -> 100,000; 4,700 -> 100; 0 -> 1).
  function wholeStep(value) {
    var v = Math.round(Math.abs(value));
    if (v === 0) return 1;
    var step = 1;
    while (v % (step * 10) === 0) step *= 10;
    return step;
  }

  // checks.printed(value, qualifier, decimals): the interval [lo, hi] a number stands for.
  // exact: the value; rounded/estimate (or decimals given): half a unit of the last digit;
  // approx: +/- 5%; at_least: [value, inf); at_most: (-inf, value]; less_than (a censored cell): [0, value).
  function printed(value, qualifier, decimals) {
    if (qualifier === 'less_than') return [0, value];
    if (qualifier === 'at_least') return [value, Infinity];
    if (qualifier === 'at_most') return [-Infinity, value];
    if (qualifier === 'approx') return [value * 0.95, value * 1.05];
    if (qualifier === 'rounded' || qualifier === 'estimate' || decimals != null) {
      var step = decimals != null ? Math.pow(10, -decimals) : wholeStep(value);
      return [value - step / 2, value + step / 2];
    }
    return [value, value];
  }

  // checks.Interval.overlaps: half-open rounding intervals overlap when they share more than an
  // end; a single value (lo == hi) overlaps an interval that contains it (ends included).
  function overlaps(a, b) {
    if (a[0] === a[1] || b[0] === b[1]) {
      var point = a[0] === a[1] ? a : b, span = point === a ? b : a;
      return span[0] - EPS <= point[0] && point[0] <= span[1] + EPS;
    }
    return Math.max(a[0], b[0]) < Math.min(a[1], b[1]) - 1e-12;
  }

  // Decimal places of a value as observations.csv writes it (78.8 -> 1).
  function decimalsOf(value) {
    var s = String(value), i = s.indexOf('.');
    return /e/i.test(s) || i < 0 ? 0 : s.length - i - 1;
  }

  // A published value's interval: checks.printed(value, qualifier). A rounded value published
  // with decimals (78.8) is read at its last decimal, as checks.printed(value, qualifier,
  // decimals=1) does (without decimals, checks._step would take the unit of round(78.8)).
  function publishedInterval(value, qualifier) {
    var d = decimalsOf(value);
    return printed(value, qualifier, (qualifier === 'rounded' || qualifier === 'estimate') && d > 0 ? d : null);
  }

  // --- reading a typed number -----------------------------------------------------------------

  // '36.2m', '1.2bn', '20k' as well as the words
  var SCALES = [[/^(milliards?|billions?|bn|mds?|b)\b/, 9], [/^(millions?|mn|m)\b/, 6], [/^(thousands?|mille|k)\b/, 3]];
  // Numbers in words, as analysis.textclaims reads them ('twenty million', 'vingt mille')
  var WORDS = {one: 1, un: 1, une: 1, a: 1, two: 2, deux: 2, three: 3, trois: 3, four: 4, quatre: 4, five: 5, cinq: 5,
               six: 6, seven: 7, sept: 7, eight: 8, huit: 8, nine: 9, neuf: 9, ten: 10, dix: 10, twelve: 12, douze: 12,
               fifteen: 15, quinze: 15, twenty: 20, vingt: 20, thirty: 30, trente: 30, forty: 40, quarante: 40,
               fifty: 50, cinquante: 50, sixty: 60, soixante: 60, hundred: 100, cent: 100};

  // Separators as analysis.textclaims._parse_digits reads them: 1.234.567 and 1,234,567 are
  // thousands; a point and a comma together: the last one is the decimal mark; a single comma or
  // point followed by three digits (4,700 / 4.700) is both a thousands separator and a decimal
  // mark, so both readings are searched, the page language's first (comma: thousands in English,
  // decimal in French; point: decimal); otherwise a comma or point is the decimal mark.
  function splitDigits(raw, lang, scaled) {
    var only = function (digits, decimals) { return {digits: digits, decimals: decimals}; };
    if (/^\d{1,3}([.,]\d{3}){2,}$/.test(raw) && !(raw.indexOf('.') >= 0 && raw.indexOf(',') >= 0)) {
      return [only(raw.replace(/[.,]/g, ''), 0)];
    }
    var comma = raw.lastIndexOf(','), point = raw.lastIndexOf('.');
    if (comma >= 0 && point >= 0) {
      var mark = Math.max(comma, point), int = raw.slice(0, mark).replace(/[.,]/g, ''), frac = raw.slice(mark + 1);
      return [only(int + frac, frac.length)];
    }
    var sep = comma >= 0 ? ',' : (point >= 0 ? '.' : '');
    if (!sep) return [only(raw, 0)];
    var parts = raw.split(sep);
    if (parts.length > 2) return [only(parts.join(''), 0)];
    var decimal = only(parts[0] + parts[1], parts[1].length);
    if (parts[1].length !== 3 || scaled) {
      // textclaims: '36,200 millions' in French is 36.2 million, in English 36,200 million
      if (parts[1].length === 3 && sep === ',' && lang === 'en') return [only(parts[0] + parts[1], 0)];
      return [decimal];
    }
    var thousands = only(parts[0] + parts[1], 0);
    // in English a comma before three digits groups thousands: 447,212 is not 447.212 ('about 450')
    if (sep === ',' && lang === 'en') return [thousands];
    return [decimal, thousands];
  }

  // The readings of a typed number: value, the interval its printed rounding allows, whether it
  // is a percentage. The interval mirrors checks.printed(value, 'rounded'): a whole number's
  // rounding unit is its last non-zero digit (4,700 -> [4,650, 4,750)); a number printed with
  // decimals is rounded to its last printed digit, in the unit printed (36.2 million ->
  // [36.15 million, 36.25 million)), as checks.printed(value, decimals=...) reads it.
  function read(text, lang) {
    var t = String(text).toLowerCase().replace(/[\u00a0\u202f\u2009\u2007]/g, ' ').trim();
    var m = t.match(/\d[\d ,.]*/);
    if (!m) {
      var w = t.match(/^([a-zé]+)(?:[\s-]+([a-z]+))?/);
      var n = w && WORDS[w[1]];
      if (!n) return [];
      if (w[2] && WORDS[w[2]] && WORDS[w[2]] < 10) n += WORDS[w[2]];  // 'twenty-five'
      t = n + t.slice(w[0].length - (w[2] && WORDS[w[2]] ? 0 : (w[2] || '').length));
      m = t.match(/\d[\d ,.]*/);
    }
    var raw = m[0].replace(/ /g, '').replace(/[.,]+$/, '');
    var after = t.slice(m.index + m[0].length).trim();
    var exponent = 0;
    for (var i = 0; i < SCALES.length; i++) {
      if (SCALES[i][0].test(after)) { exponent = SCALES[i][1]; break; }
    }
    var percent = /%|per ?cent|pour ?cent|pourcent/.test(after);
    return splitDigits(raw, lang, exponent > 0).map(function (r) {
      var n = Number(r.digits), shift = exponent - r.decimals;
      var value = shift >= 0 ? n * Math.pow(10, shift) : n / Math.pow(10, -shift);
      var step = r.decimals > 0 ? Math.pow(10, shift) : wholeStep(value);
      return {value: value, interval: [value - step / 2, value + step / 2], step: step, percent: percent};
    });
  }

  // Does a published row agree with a reading? 'exact': the same number; 'rounded': within the
  // intervals; '' no. A published bound ('at least 116 million', a censored '<50') agrees only
  // with a number typed at that bound, as analysis.textcheck does for bounds.
  function agreement(reading, value, qualifier) {
    if (Math.abs(value - reading.value) <= EPS * Math.max(1, Math.abs(value))) return 'exact';
    var iv = reading.interval;
    if (BOUNDS[qualifier]) return iv[0] - EPS <= value && value <= iv[1] + EPS ? 'rounded' : '';
    return overlaps(iv, publishedInterval(value, qualifier)) ? 'rounded' : '';
  }

  // --- formatting, as analysis.site_i18n does ---------------------------------------------------

  function number(value, lang, decimals) {
    if (decimals == null) decimals = decimalsOf(value);
    var s = Math.abs(value).toFixed(decimals), parts = s.split('.');
    var int = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? NNBSP : ',');
    var out = (value < 0 ? '-' : '') + int + (parts[1] ? (lang === 'fr' ? ',' : '.') + parts[1] : '');
    return out;
  }

  function valueText(value, unit, lang) {
    if (unit === 'yyyymmdd') { var d = String(value); return d.slice(0, 4) + '-' + d.slice(4, 6) + '-' + d.slice(6); }
    if (unit === 'yyyymm') { var m = String(value); return m.slice(0, 4) + '-' + m.slice(4); }
    if (unit === 'year') return String(value);
    var s = number(value, lang);
    return unit === 'percent' || unit === 'percent_change' ? s + (lang === 'fr' ? NNBSP : '') + '%' : s;
  }

  function endText(value, decimals, lang) {
    return number(Number(value.toFixed(decimals)), lang, decimals);
  }

  // --- the page ---------------------------------------------------------------------------------

  window.findNumber = {printed: printed, publishedInterval: publishedInterval, overlaps: overlaps, read: read,
                       agreement: agreement, wholeStep: wholeStep};

  var data = window.FIND_DATA, input = document.getElementById('number');
  if (!data || !input) return;
  var T = JSON.parse(document.getElementById('find-texts').textContent), lang = T.lang;
  var reading = document.getElementById('reading'), results = document.getElementById('results');

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function describe(r) {
    var decimals = r.step >= 10 ? 0 : Math.max(0, Math.ceil(-Math.log10(r.step / 2) - 1e-9));
    var lo = endText(r.interval[0], decimals, lang), hi = endText(r.interval[1], decimals, lang);
    var interval = lang === 'fr' ? '[' + lo + NNBSP + ';' + ' ' + hi + '[' : '[' + lo + ', ' + hi + ')';
    var pct = r.percent ? (lang === 'fr' ? NNBSP : '') + '%' : '';
    return {value: number(r.value, lang) + pct, interval: interval};
  }

  function row(r) {
    var tr = el('tr'), ind = data.indicators[r[3]], geo = data.geographies[r[4]], src = data.sources[r[7]];
    var unit = data.units[r[2]], qualifier = data.qualifiers[r[1]];
    var value = fill(T.qualifiers[qualifier] || '{v}', {v: valueText(r[0], unit, lang)});
    tr.appendChild(el('td', value, 'num'));
    tr.appendChild(el('td', lang === 'fr' ? ind[2] : ind[1]));
    tr.appendChild(el('td', T.units[unit] || unit));
    tr.appendChild(el('td', lang === 'fr' ? geo[2] : geo[1]));
    tr.appendChild(el('td', data.periods[r[5]]));
    var brk = el('td'), b = data.breakdowns[r[6]];
    if (b) brk.appendChild(el('code', b, 'lang-neutral'));
    tr.appendChild(brk);
    var source = el('td'), link = el('a', src[0], 'lang-neutral');
    if (src[1]) { link.href = src[1]; source.appendChild(link); } else source.appendChild(el('span', src[0], 'lang-neutral'));
    tr.appendChild(source);
    return tr;
  }

  function table(title, rows) {
    var box = el('section');
    box.appendChild(el('h2', fill(title, {n: rows.length})));
    var wrap = el('div', null, 'scroll'), tbl = el('table'), head = el('tr');
    T.columns.forEach(function (c) { head.appendChild(el('th', c)); });
    var thead = el('thead'); thead.appendChild(head); tbl.appendChild(thead);
    var body = el('tbody');
    rows.slice(0, LIMIT).forEach(function (r) { body.appendChild(row(r)); });
    tbl.appendChild(body); wrap.appendChild(tbl); box.appendChild(wrap);
    if (rows.length > LIMIT) box.appendChild(el('p', fill(T.more, {n: rows.length - LIMIT}), 'small'));
    return box;
  }

  function search() {
    var text = input.value;
    results.textContent = '';
    var readings = read(text, lang);
    if (!readings.length) { reading.textContent = T.prompt; return; }
    var parts = readings.map(describe);
    reading.textContent = fill(T.reading, parts[0]) + (parts.length > 1 ? fill(T.reading_or, parts[1]) : '') + '.' +
      (readings[0].percent ? ' ' + T.percent_only : '');
    var exact = [], rounded = [];
    data.rows.forEach(function (r) {
      if (readings[0].percent && !PERCENT_UNITS[data.units[r[2]]]) return;
      var best = '';
      readings.forEach(function (rd) {
        var a = agreement(rd, r[0], data.qualifiers[r[1]]);
        if (a === 'exact' || (a && !best)) best = a;
      });
      if (best === 'exact') exact.push(r); else if (best) rounded.push(r);
    });
    var target = readings[0].value;
    var distance = function (r) { return r[0] > 0 && target > 0 ? Math.abs(Math.log(r[0] / target)) : Math.abs(r[0] - target); };
    rounded.sort(function (a, b) { return distance(a) - distance(b); });
    if (!exact.length && !rounded.length) { results.appendChild(el('p', T.none, 'none')); return; }
    if (exact.length) results.appendChild(table(T.exact, exact));
    if (rounded.length) results.appendChild(table(T.rounded, rounded));
  }

  // The typed number is kept in the address (#q=...), so the language switch keeps it.
  function remember() {
    var hash = input.value ? '#q=' + encodeURIComponent(input.value) : '';
    try { if (location.hash !== hash && hash) location.replace(hash); } catch (e) { /* file: URLs may refuse */ }
    Array.prototype.forEach.call(document.querySelectorAll('a.switch'), function (a) {
      a.setAttribute('href', a.getAttribute('href').split('#')[0] + hash);
    });
  }

  input.addEventListener('input', function () { search(); remember(); });
  if (location.hash.indexOf('#q=') === 0) input.value = decodeURIComponent(location.hash.slice(3));
  search();
  remember();
})();
