/**
 * The operator page: the CloudWatch dashboard's figures drawn from the local recorder, as inline
 * SVG charts (no script or style from the network), refreshed by polling /ops/metrics.json.
 */
export function opsPageHtml(refreshMs = 2000): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Joint credit — operations (local)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { font-family: system-ui, "Noto Sans CJK SC", sans-serif; color: #1d2733; background: #f3f5f8; }
  body { margin: 0; }
  header { background: #1d2733; color: #fff; padding: 10px 20px; display: flex; justify-content: space-between; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  #status { font-size: 12px; opacity: .8; }
  main { padding: 12px 20px; }
  h2 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .05em; color: #4a5a6b; }
  .row { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; }
  .panel { background: #fff; border: 1px solid #d8dee6; border-radius: 6px; padding: 8px 10px; }
  .panel h3 { font-size: 13px; margin: 0 0 4px; }
  .panel svg { width: 100%; height: 130px; display: block; }
  .legend { font-size: 11px; display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 4px; }
  .legend span::before { content: ""; display: inline-block; width: 10px; height: 3px; margin-right: 4px; vertical-align: middle; background: var(--c); }
  .empty { fill: #9aa7b4; font-size: 11px; }
</style>
</head>
<body>
<header><h1>Joint credit — operations (local stack)</h1><span id="status">loading…</span></header>
<main id="panels"></main>
<script>
const colours = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#e8590c', '#0b7285', '#c2255c', '#5c940d', '#495057', '#f08c00'];
const W = 360, H = 130, PAD = 26;
function escapeText(text) { return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]); }
function chart(panel, buckets) {
  const max = Math.max(1, ...panel.series.flatMap((s) => s.values));
  const n = buckets.length;
  const x = (i) => PAD + (i * (W - PAD - 4)) / Math.max(1, n - 1);
  const y = (v) => H - 16 - (v / max) * (H - 26);
  let points = 0;
  const lines = panel.series.map((s, k) => {
    points += s.values.filter((v) => v > 0).length;
    const d = s.values.map((v, i) => (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1)).join(' ');
    return '<path class="series" fill="none" stroke-width="1.6" stroke="' + colours[k % colours.length] + '" d="' + d + '"/>';
  }).join('');
  const axis = '<line x1="' + PAD + '" y1="' + (H - 16) + '" x2="' + W + '" y2="' + (H - 16) + '" stroke="#c9d1db"/>' +
    '<text x="2" y="12" font-size="10" fill="#6b7a89">' + (Math.round(max * 10) / 10) + '</text>' +
    '<text x="2" y="' + (H - 18) + '" font-size="10" fill="#6b7a89">0</text>' +
    '<text x="' + PAD + '" y="' + (H - 3) + '" font-size="10" fill="#6b7a89">' + buckets[0].slice(11, 19) + '</text>' +
    '<text x="' + (W - 50) + '" y="' + (H - 3) + '" font-size="10" fill="#6b7a89">' + buckets[n - 1].slice(11, 19) + '</text>';
  const empty = panel.series.length === 0 || points === 0 ? '<text class="empty" x="' + (W / 2 - 30) + '" y="' + (H / 2) + '">no data yet</text>' : '';
  const legend = panel.series.map((s, k) => '<span style="--c:' + colours[k % colours.length] + '">' + escapeText(s.label) + ' ' +
    s.summary + '</span>').join('');
  return { svg: '<svg viewBox="0 0 ' + W + ' ' + H + '" preserveAspectRatio="none" role="img" aria-label="' + escapeText(panel.title) + '">' + axis + lines + empty + '</svg>', legend, points };
}
function render(snapshot) {
  const sections = [];
  for (const panel of snapshot.panels) {
    let section = sections.find((s) => s.name === panel.section);
    if (!section) sections.push((section = { name: panel.section, panels: [] }));
    section.panels.push(panel);
  }
  document.getElementById('panels').innerHTML = sections.map((section) =>
    '<h2>' + escapeText(section.name) + '</h2><div class="row">' + section.panels.map((panel) => {
      const drawn = chart(panel, snapshot.buckets);
      return '<section class="panel" data-panel="' + panel.id + '" data-points="' + drawn.points + '" data-series="' + panel.series.length + '">' +
        '<h3>' + escapeText(panel.title) + '</h3>' + drawn.svg + '<div class="legend">' + drawn.legend + '</div></section>';
    }).join('') + '</div>').join('');
  document.body.dataset.refreshed = snapshot.generatedAt;
  document.getElementById('status').textContent = 'updated ' + snapshot.generatedAt.slice(11, 19) + ' UTC · ' + snapshot.bucketSeconds + ' s buckets · refresh ${refreshMs / 1000} s';
}
async function refresh() {
  try {
    const response = await fetch('/ops/metrics.json', { cache: 'no-store' });
    render(await response.json());
  } catch (error) {
    document.getElementById('status').textContent = 'refresh failed: ' + error;
  }
}
refresh();
setInterval(refresh, ${refreshMs});
</script>
</body>
</html>
`;
}
