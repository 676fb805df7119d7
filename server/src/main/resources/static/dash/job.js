// A job page: live progress over Server-Sent Events (with a pause toggle), the timeline and the
// histogram of durations drawn with uPlot from the stream's "charts" events (when it opens, every
// 2 s while the job runs and before its last progress; read once for all open pages), or loaded
// once when the page shows a job that had already ended. When the job ends, the stream also brings
// the first page of its futures table (rendered once for all open pages) before the last progress.
(function () {
  "use strict";
  const main = document.getElementById("job");
  if (!main) return;
  const job = main.dataset.job;
  // keyed by the charts' one-letter states: Succeeded, Failed, Cancelled, Running, Pending
  const COLORS = { S: "#2ea043", F: "#d1242f", C: "#8c959f", R: "#0969da", P: "#bf8700" };
  let source = null, paused = false, ended = main.dataset.terminal === "true", tableCame = false;
  let timeline = null, histogram = null;

  function text(id, v) { const e = document.getElementById(id); if (e) e.textContent = String(v); }

  function show(p) {
    text("percent", p.percent + " %");
    text("state", p.state);
    document.getElementById("state").className = "state " + p.state;
    ["pending", "running", "succeeded", "failed", "cancelled", "total"].forEach(k => text("n-" + k, p[k]));
    text("rate", p.perSecond);
    text("eta", p.eta);
    text("message", p.message);
    document.getElementById("bar-fill").style.width = p.percent + "%";
    if (p.terminal) {
      ended = true;
      const cancel = document.getElementById("cancel");
      if (cancel) cancel.disabled = true;
      close(); // the charts and the futures of the ended job came just before this last progress
      const futures = document.getElementById("futures");
      if (!tableCame && window.htmx && futures) htmx.trigger(futures, "refresh");
    }
  }

  function open() {
    if (ended || paused || source) return;
    source = new EventSource("/jobs/" + job + "/events");
    source.addEventListener("progress", e => show(JSON.parse(e.data)));
    source.addEventListener("charts", e => draw(JSON.parse(e.data)));
    source.addEventListener("futures", e => showFutures(JSON.parse(e.data).html));
    source.onerror = () => { if (ended) close(); };
  }

  // the server's rendering of the table (its texts escaped there), swapped in as htmx swaps a
  // response, so its links work as a loaded table's do
  function showFutures(html) {
    const futures = document.getElementById("futures");
    if (!window.htmx || !futures) return;
    htmx.swap(futures, html, { swapStyle: "innerHTML" });
    tableCame = true;
  }

  function close() { if (source) { source.close(); source = null; } }

  document.getElementById("pause").addEventListener("click", ev => {
    paused = !paused;
    ev.target.textContent = paused ? "Resume live updates" : "Pause live updates";
    if (paused) close(); else open();
  });

  function loadCharts() {
    fetch("/jobs/" + job + "/charts", { credentials: "same-origin" })
      .then(r => r.ok ? r.json() : null)
      .then(d => { if (d) draw(d); });
  }

  function width(el) { return Math.max(300, el.clientWidth || 560); }

  function draw(d) {
    const n = d.index.length;
    text("sampled", d.sampled ? "Charts show " + n + " of " + d.total + " futures, sampled evenly by index." : "");
    let tMax = 1;
    for (let i = 0; i < n; i++) tMax = Math.max(tMax, d.end[i] < 0 ? Date.now() : d.end[i], d.start[i]);
    const tl = document.getElementById("timeline");
    const seg = u => {
      const ctx = u.ctx;
      ctx.save();
      ctx.lineWidth = Math.max(1, Math.min(4, 300 / Math.max(1, n)));
      for (let i = 0; i < n; i++) {
        const end = d.end[i] < 0 ? u.scales.x.max : d.end[i] / 1000;
        const y = u.valToPos(d.index[i], "y", true);
        ctx.strokeStyle = COLORS[d.states[i]] || "#000";
        ctx.beginPath();
        ctx.moveTo(u.valToPos(d.start[i] / 1000, "x", true), y);
        ctx.lineTo(Math.max(u.valToPos(end, "x", true), u.valToPos(d.start[i] / 1000, "x", true) + 1), y);
        ctx.stroke();
      }
      ctx.restore();
    };
    const tlData = [[0, tMax / 1000], [0, Math.max(1, d.total - 1)]];
    if (timeline) timeline.destroy();
    timeline = new uPlot({
      width: width(tl), height: 260,
      scales: { x: { time: false }, y: { range: [0, Math.max(1, d.total - 1)] } },
      legend: { show: false }, cursor: { show: false },
      axes: [{ label: "seconds since submit" }, { label: "future" }],
      series: [{}, { stroke: "transparent", points: { show: false } }],
      hooks: { draw: [seg] }
    }, tlData, tl);

    const durations = [];
    for (let i = 0; i < n; i++) if (d.end[i] >= 0) durations.push(d.end[i] - d.start[i]);
    const bins = 30, max = Math.max(1, ...durations.slice(0, 100000).concat([1]));
    const xs = [], ys = new Array(bins).fill(0), w = max / bins;
    for (let b = 0; b < bins; b++) xs.push(Math.round((b + 0.5) * w));
    durations.forEach(v => ys[Math.min(bins - 1, Math.floor(v / w))]++);
    const hg = document.getElementById("histogram");
    if (histogram) histogram.destroy();
    histogram = new uPlot({
      width: width(hg), height: 260,
      scales: { x: { time: false } },
      legend: { show: false }, cursor: { show: false },
      axes: [{ label: "duration (ms)" }, { label: "futures" }],
      series: [{}, { fill: COLORS.S, stroke: COLORS.S, paths: uPlot.paths.bars({ size: [0.9] }), points: { show: false } }]
    }, [xs, ys], hg);
  }

  if (ended) loadCharts(); else open();
})();
