"""The HTML report's page skeleton, style sheet and script (``report/html.py`` fills them in).

Kept apart so the renderer reads as what goes where. The script and the style sheet are inline
so the report is one file that works offline; the page's Content-Security-Policy allows exactly
these two by their SHA-256, so nothing else can run or restyle it, not even markup that got into
the page. The script uses ``textContent``/``hidden`` only, never ``innerHTML`` or inline styles.
"""

from __future__ import annotations

from string import Template

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cmkguard $version">
<title>cmkguard audit report: SageMaker notebook encryption</title>
<style>$style</style>
</head>
<body>
<header>
<h1>SageMaker notebook instances encrypted with a customer managed KMS key</h1>
<p class="lead">Audit report written by cmkguard $version.</p>
<dl class="facts">
<dt>Generated</dt><dd id="generated"><time datetime="$generated">$generated</time></dd>
<dt>Scanned</dt><dd id="scanned">$scanned</dd>
$digest</dl>
</header>
<main>
<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<ul class="counts">
<li class="count total">Notebooks <strong id="count-total">$total</strong></li>
<li class="count pass">PASS <strong id="count-pass">$passed</strong></li>
<li class="count fail">FAIL <strong id="count-fail">$failed</strong></li>
<li class="count unknown">UNKNOWN <strong id="count-unknown">$unknown</strong></li>
<li class="count accepted">Suppressed <strong id="count-suppressed">$suppressed</strong></li>
<li class="count accepted">Baselined <strong id="count-baselined">$baselined</strong></li>
<li class="count errors">Input errors <strong id="count-errors">$errors</strong></li>
</ul>
<figure>
$chart
<figcaption>Verdicts by $grouping.</figcaption>
</figure>
</section>
<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Notebooks</h2>
<div class="controls">
<label>Filter <input id="filter" type="search" placeholder="address, file, reason, key…"></label>
<label>Status <select id="status-filter">
<option value="">all</option><option>PASS</option><option>FAIL</option><option>UNKNOWN</option>
</select></label>
<span id="shown" aria-live="polite">$total of $total shown</span>
</div>
<table id="findings-table">
<thead><tr>
<th scope="col"><button type="button" data-sort="0">Status</button></th>
<th scope="col"><button type="button" data-sort="1">Notebook</button></th>
<th scope="col"><button type="button" data-sort="2">Where</button></th>
<th scope="col"><button type="button" data-sort="3">Key</button></th>
<th scope="col"><button type="button" data-sort="4">Reasons</button></th>
<th scope="col"><button type="button" data-sort="5">Warnings</button></th>
<th scope="col">Message and evidence</th>
</tr></thead>
<tbody>
$rows</tbody>
</table>
$errors_section</section>
<section id="control" aria-labelledby="control-h">
<h2 id="control-h">The control</h2>
<p>Control <code>$control_id</code>: every SageMaker notebook instance must be encrypted with a
customer managed, enabled, symmetric KMS key in its region whose key policy lets the notebook
use it. A FAIL names every reason that holds; an UNKNOWN names the input that was missing; a
check that could not be done is never reported as PASS.</p>
<p>$stricter</p>
<h3>Other tools' checks for the same resource</h3>
<table class="plain"><thead><tr><th>system</th><th>identifier</th><th>note</th></tr></thead>
<tbody>
$tools</tbody></table>
<h3>Framework references ($framework_label)</h3>
<table class="plain"><thead><tr><th>framework</th><th>requirement</th><th>note</th></tr></thead>
<tbody>
$frameworks</tbody></table>
</section>
</main>
<script>$script</script>
</body>
</html>
""")

STYLE = """
:root{--pass:#1a7f37;--fail:#cf222e;--unknown:#9a6700;--line:#d0d7de;font-family:system-ui,
-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
body{margin:1.5rem auto;max-width:90rem;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .25rem}
.lead{margin:0 0 1rem;color:#59636e}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
.facts dt{font-weight:600}.facts dd{margin:0;word-break:break-all}
.counts{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0}
.count{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem}
.count strong{font-size:1.3rem;margin-left:.3rem}
.pass strong,.status-PASS{color:var(--pass)}
.fail strong,.status-FAIL{color:var(--fail)}
.unknown strong,.status-UNKNOWN{color:var(--unknown)}
figure{margin:1rem 0}
.bar-PASS{fill:var(--pass)}.bar-FAIL{fill:var(--fail)}.bar-UNKNOWN{fill:var(--unknown)}
svg text{font-size:12px;fill:#1f2328}
.controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th button{all:unset;cursor:pointer;font-weight:600}
th button::after{content:" \\2195";color:#8c959f}
td{word-break:break-word}
td:nth-child(2){min-width:14rem}td:nth-child(3){min-width:10rem}td:nth-child(5){max-width:18rem}td:last-child{min-width:26rem}
td ol{margin:.2rem 0;padding-left:1.2rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em}
.status{font-weight:700;white-space:nowrap}
.note{color:#59636e}
@media print{
.controls,th button::after{display:none}
tr[hidden]{display:table-row}
body{max-width:none;margin:0;font-size:10pt}
tr{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var body = table.tBodies[0];
  var filter = document.getElementById("filter");
  var status = document.getElementById("status-filter");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(body.rows);
  function apply() {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = status.value;
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var ok = (!wanted || row.getAttribute("data-status") === wanted) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " shown";
  }
  var direction = {};
  function sortBy(column) {
    var up = direction[column] = !direction[column];
    var sorted = rows.slice().sort(function (a, b) {
      var x = a.cells[column].getAttribute("data-key") || a.cells[column].textContent;
      var y = b.cells[column].getAttribute("data-key") || b.cells[column].textContent;
      return (up ? 1 : -1) * x.localeCompare(y, undefined, {numeric: true});
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }
  filter.addEventListener("input", apply);
  status.addEventListener("change", apply);
  Array.prototype.forEach.call(table.querySelectorAll("th button"), function (button) {
    button.addEventListener("click", function () {
      sortBy(Number(button.getAttribute("data-sort")));
    });
  });
  apply();
})();
"""
