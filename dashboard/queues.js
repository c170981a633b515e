// The Queues view: each queue's depth, the workers' health and the last minute's and hour's figures from
// /v1/stats, and charts of throughput, latency and error rate drawn by uPlot (vendored, see vendor/) from the
// figures read while the view is open: every config.json `statsEverySeconds` (the local runtime's 5; 60 by
// default, as each read costs CloudWatch GetMetricData calls on AWS).
import { $, api, cell, problem, state, when } from './api.js';

const KEEP_POINTS = 360;
const series = { at: [], throughput: [], wait: [], run: [], endToEnd: [], errorRate: [] };
let timer = null;
let charts = null;

const ms = (v) => (v === null || v === undefined ? '' : `${Math.round(v)} ms`);

function fillQueues(stats) {
  const body = $('queues-table').tBodies[0];
  body.replaceChildren();
  for (const q of stats.queues) {
    const row = body.insertRow();
    row.dataset.queue = q.queue;
    cell(row, q.queue);
    cell(row, q.visible, 'num');
    cell(row, q.inFlight, 'num');
    cell(row, q.delayed, 'num');
  }
  $('workers-in-flight').textContent = stats.workers.inFlight;
  $('workers-heartbeat').textContent = stats.workers.lastHeartbeatAt ? when(stats.workers.lastHeartbeatAt) : 'none in the last hour';
}

function fillWindows(stats) {
  const body = $('windows-table').tBodies[0];
  body.replaceChildren();
  for (const [name, w] of [['last minute', stats.lastMinute], ['last hour', stats.lastHour]]) {
    const row = body.insertRow();
    cell(row, name);
    cell(row, w.jobs.submitted, 'num');
    cell(row, w.jobs.succeeded, 'num');
    cell(row, w.jobs.retried, 'num');
    cell(row, w.jobs.dead, 'num');
    cell(row, w.throughputPerSecond.toFixed(2), 'num');
    cell(row, `${(w.errorRate * 100).toFixed(1)} %`, 'num');
    cell(row, `${ms(w.queueWaitMs.p50)} / ${ms(w.queueWaitMs.p95)} / ${ms(w.queueWaitMs.p99)}`);
    cell(row, `${ms(w.runTimeMs.p50)} / ${ms(w.runTimeMs.p95)} / ${ms(w.runTimeMs.p99)}`);
  }
  const types = $('types-table').tBodies[0];
  types.replaceChildren();
  for (const [type, c] of Object.entries(stats.lastHour.byType)) {
    const row = types.insertRow();
    cell(row, type);
    cell(row, c.succeeded, 'num');
    cell(row, c.retried, 'num');
    cell(row, c.dead, 'num');
    cell(row, `${(c.errorRate * 100).toFixed(1)} %`, 'num');
  }
}

function record(stats) {
  const w = stats.lastMinute;
  series.at.push(Date.parse(stats.generatedAt) / 1000);
  series.throughput.push(w.throughputPerSecond);
  series.wait.push(w.queueWaitMs.p95);
  series.run.push(w.runTimeMs.p95);
  series.endToEnd.push(w.endToEndMs.p95);
  series.errorRate.push(w.errorRate * 100);
  if (series.at.length > KEEP_POINTS) for (const s of Object.values(series)) s.shift();
}

function chart(id, title, lines) {
  const element = $(id);
  const options = {
    title, width: element.clientWidth || 300, height: 180,
    series: [{}, ...lines.map(([label, stroke]) => ({ label, stroke, width: 2, spanGaps: true }))],
    axes: [{}, { size: 60 }],
  };
  new ResizeObserver(fit).observe(element); // a scrollbar coming or going changes the box, not the window
  return new uPlot(options, [[]], element); // eslint-disable-line no-undef -- the vendored script's global
}

function draw() {
  if (!charts) {
    charts = {
      throughput: chart('chart-throughput', 'Throughput (jobs/s, last minute)', [['succeeded/s', '#1a7f37']]),
      latency: chart('chart-latency', 'Latency p95 (ms, last minute)',
        [['queue wait', '#0969da'], ['run time', '#8250df'], ['end to end', '#bf3989']]),
      errors: chart('chart-errors', 'Error rate (% of attempts, last minute)', [['error rate', '#b3261e']]),
    };
  }
  fit();
  charts.throughput.setData([series.at, series.throughput]);
  charts.latency.setData([series.at, series.wait, series.run, series.endToEnd]);
  charts.errors.setData([series.at, series.errorRate]);
  $('charts').dataset.points = series.at.length;
}

async function refresh() {
  try {
    const stats = await api('GET', '/v1/stats');
    $('queues-error').textContent = '';
    fillQueues(stats);
    fillWindows(stats);
    record(stats);
    draw();
    $('queues-updated').textContent = `updated ${when(stats.generatedAt)}`;
  } catch (e) {
    $('queues-error').textContent = problem(e);
  }
}

export function openQueues() {
  if (timer) return;
  refresh();
  timer = setInterval(refresh, (state.config.statsEverySeconds ?? 60) * 1000);
}

export function closeQueues() {
  clearInterval(timer);
  timer = null;
}

/** Each chart as wide as its box is now (the box changed, or the view was hidden when it last did). */
function fit() {
  if (!charts || $('queues').hidden) return;
  for (const [name, c] of Object.entries(charts)) {
    const width = $(`chart-${name}`).clientWidth;
    if (width && width !== c.width) c.setSize({ width, height: 180 });
  }
}

