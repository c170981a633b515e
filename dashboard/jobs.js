// The Jobs view (a table with filters, search by id, live updates) and a job's detail (cancel, retry).
import { $, api, cell, state, when } from './api.js';

const jobs = { cursor: null, filters: {}, open: null };

function progressText(job) {
  return job.progress ? `${job.progress.percent}%${job.progress.message ? ' ' + job.progress.message : ''}` : '';
}

function fillRow(row, job) {
  row.dataset.jobId = job.jobId;
  row.dataset.status = job.status;
  if (job.createdAt) row.dataset.createdAt = job.createdAt;
  if (job.updatedAt) row.dataset.updatedAt = job.updatedAt;
  row.replaceChildren();
  const link = document.createElement('a');
  link.href = `#job/${job.jobId}`;
  link.textContent = job.jobId;
  row.insertCell().append(link);
  cell(row, job.type);
  cell(row, job.status, 'status');
  cell(row, `${job.attempt}/${job.maxAttempts}`);
  cell(row, progressText(job));
  cell(row, when(job.createdAt));
}

function visible(job) {
  const f = jobs.filters;
  if (f.status && job.status !== f.status) return false;
  if (f.type && job.type !== f.type) return false;
  if (f.since && job.createdAt && new Date(job.createdAt) < f.since) return false;
  return true;
}

export async function loadJobs(more) {
  $('jobs-error').textContent = '';
  const params = new URLSearchParams({ limit: '50' });
  if (jobs.filters.status) params.set('status', jobs.filters.status);
  if (jobs.filters.type) params.set('type', jobs.filters.type);
  if (more && jobs.cursor) params.set('cursor', jobs.cursor);
  try {
    const page = await api('GET', `/v1/jobs?${params}`);
    const body = $('jobs-table').tBodies[0];
    if (!more) body.replaceChildren();
    let older = false;
    for (const job of page.items) {
      if (!visible(job)) { older = older || Boolean(jobs.filters.since); continue; }
      fillRow(body.insertRow(), job);
    }
    jobs.cursor = page.nextCursor;
    $('more').hidden = !page.nextCursor || older; // newest first: past "created after", nothing more to show
  } catch (e) {
    $('jobs-error').textContent = e.message;
  }
}

/** A job's new state (a WebSocket event, or a submit's answer): its row changes in place, a new job appears on top. */
function onJob(job) {
  const body = $('jobs-table').tBodies[0];
  const row = body.querySelector(`tr[data-job-id="${CSS.escape(job.jobId)}"]`);
  const known = { ...job, createdAt: job.createdAt ?? row?.dataset.createdAt };
  if (row && Date.parse(job.updatedAt) < Date.parse(row.dataset.updatedAt)) return; // an older state, late
  if (row) {
    if (visible(known)) fillRow(row, known); else row.remove();
  } else if (visible(known)) {
    fillRow(body.insertRow(0), known);
  }
}

/** A WebSocket event names the job's type jobType (its own type is "job"); the open detail follows it. */
export function onJobEvent(event) {
  onJob({ ...event, type: event.jobType });
  if (jobs.open === event.jobId) openJob(event.jobId);
}

function duration(from, to) {
  if (!from || !to) return '';
  const ms = Date.parse(to) - Date.parse(from);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function fillAttempts(attempts) {
  const body = $('attempts-table').tBodies[0];
  body.replaceChildren();
  for (const a of attempts ?? []) {
    const row = body.insertRow();
    cell(row, a.attempt);
    cell(row, when(a.startedAt));
    cell(row, a.finishedAt ? duration(a.startedAt, a.finishedAt) : a.outcome === 'running' ? 'running' : '');
    cell(row, a.outcome);
    cell(row, a.error ? `${a.error.type}: ${a.error.message}` : '');
  }
}

async function fillDeliveries(id) {
  const deliveries = await api('GET', `/v1/jobs/${encodeURIComponent(id)}/deliveries`);
  const body = $('deliveries-table').tBodies[0];
  body.replaceChildren();
  for (const d of deliveries.items ?? []) {
    const row = body.insertRow();
    cell(row, d.attempt);
    cell(row, when(d.at));
    cell(row, d.statusCode);
    cell(row, d.latencyMs === undefined ? '' : `${d.latencyMs} ms`);
    cell(row, d.error);
  }
}

export function closeJob() {
  jobs.open = null;
}

export async function openJob(id) {
  jobs.open = id;
  $('detail-title').textContent = `Job ${id}`;
  try {
    const job = await api('GET', `/v1/jobs/${encodeURIComponent(id)}`);
    const fields = $('detail-fields');
    fields.replaceChildren();
    const add = (name, value) => {
      if (value === null || value === undefined || value === '') return;
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      if (name === 'status') dd.id = 'detail-status';
      fields.append(dt, dd);
    };
    add('status', job.status);
    add('type', job.type);
    add('attempt', `${job.attempt} of ${job.maxAttempts}`);
    add('progress', progressText(job));
    add('priority', job.priority);
    add('created', job.createdAt);
    add('started', job.startedAt);
    add('finished', job.finishedAt);
    add('run at', job.runAt);
    add('deferred until', job.deferredUntil);
    add('idempotency key', job.idempotencyKey);
    add('callback', job.callbackUrl);
    $('detail-payload').textContent = JSON.stringify(job.payload, null, 2);
    $('detail-result-json').textContent = job.result === null ? '' : JSON.stringify(job.result, null, 2);
    $('detail-error').textContent = job.error ? `${job.error.type}: ${job.error.message}` : '';
    $('detail-stack').textContent = job.error?.stack ?? '';
    $('detail-stack-wrap').hidden = !job.error?.stack;
    $('cancel-job').disabled = !['scheduled', 'queued', 'retrying', 'running'].includes(job.status) || job.cancelRequested;
    $('retry-job').disabled = !['dead', 'cancelled'].includes(job.status);
    fillAttempts(job.attempts);
    await fillDeliveries(id);
  } catch (e) {
    $('detail-result').textContent = e.message;
  }
}

async function act(action) {
  $('detail-result').textContent = '';
  try {
    const job = await api('POST', `/v1/jobs/${encodeURIComponent(jobs.open)}/${action}`);
    $('detail-result').textContent = action === 'cancel' && job.status === 'running' ? 'cancel requested' : `${action}: ${job.status}`;
    openJob(jobs.open);
  } catch (e) {
    $('detail-result').textContent = e.message;
  }
}

async function submit(e) {
  e.preventDefault();
  $('submit-result').textContent = '';
  let payload;
  try {
    payload = JSON.parse($('submit-payload').value || '{}');
  } catch (err) {
    $('submit-result').textContent = `The payload is not JSON: ${err.message}`;
    return;
  }
  try {
    const job = await api('POST', '/v1/jobs', { type: $('submit-type').value.trim(), payload });
    $('submit-result').textContent = `submitted ${job.jobId}`;
    onJob(job);
  } catch (err) {
    $('submit-result').textContent = err.message;
  }
}

export function wireJobs() {
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const since = $('filter-since').value;
    jobs.filters = { status: $('filter-status').value, type: $('filter-type').value.trim(),
      since: since ? new Date(since) : null };
    loadJobs(false);
  });
  $('search-button').addEventListener('click', () => {
    const id = $('search-id').value.trim();
    if (id) location.hash = `#job/${encodeURIComponent(id)}`;
  });
  $('more').addEventListener('click', () => loadJobs(true));
  $('submit-form').addEventListener('submit', submit);
  $('cancel-job').addEventListener('click', () => act('cancel'));
  $('retry-job').addEventListener('click', () => act('retry'));
}
