/* Filters the table named by .filters[data-table] (default #ledger) by free text and by the
   attribute the select names (data-attr, default "verdict"); the count's data-template says
   how the number of rows shown is written. No server needed. */
(function () {
  var box = document.querySelector('.filters');
  if (!box) return;
  var text = box.querySelector('input'), choice = box.querySelector('select'), count = box.querySelector('#count');
  var table = document.getElementById(box.getAttribute('data-table') || 'ledger');
  if (!text || !choice || !count || !table) return;
  var attr = choice.getAttribute('data-attr') || 'verdict';
  var template = count.getAttribute('data-template') || '{shown} of {total} claims';
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
  var fold = function (s) { return s.replace(/[\u00a0\u202f]/g, ' ').toLowerCase(); };
  var texts = rows.map(function (row) { return fold(row.textContent); });
  function apply() {
    var q = fold(text.value.trim()), v = choice.value, shown = 0;
    rows.forEach(function (row, i) {
      var ok = (!q || texts[i].indexOf(q) >= 0) && (!v || row.getAttribute('data-' + attr) === v);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = template.replace('{shown}', shown).replace('{total}', rows.length);
  }
  text.addEventListener('input', apply);
  choice.addEventListener('change', apply);
  apply();
})();
