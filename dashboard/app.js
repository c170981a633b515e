// Jobway's dashboard: plain JavaScript, no build step. It reads config.json (the API's URL and the WebSocket
// API's; the local runtime serves its own), signs in with an API key kept in this tab's session storage, and
// talks to /v1 and the WebSocket API as any client would.
const KEY = 'jobway.apiKey';
const $ = (id) => document.getElementById(id);
const state = { config: null, key: sessionStorage.getItem(KEY), cursor: null, filters: {}, socket: null, open: null };

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${state.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(state.config.apiUrl + path,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = json && (json.detail || json.message) || response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return json;
}

function show(view) {
  for (const id of ['sign-in', 'jobs', 'job-detail']) $(id).hidden = id !== view;
  const signedIn = view !== 'sign-in';
  $('views').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  $('live').hidden = !signedIn;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

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
  cell(row, job.createdAt ? new Date(job.createdAt).toLocaleString() : '');
}

function visible(job) {
  const f = state.filters;
  if (f.status && job.status !== f.status) return false;
  if (f.type && job.type !== f.type) return false;
  if (f.since && job.createdAt && new Date(job.createdAt) < f.since) return false;
  return true;
}

async function loadJobs(more) {
  $('jobs-error').textContent = '';
  const params = new URLSearchParams({ limit: '50' });
  if (state.filters.status) params.set('status', state.filters.status);
  if (state.filters.type) params.set('type', state.filters.type);
  if (more && state.cursor) params.set('cursor', state.cursor);
  try {
    const page = await api('GET', `/v1/jobs?${params}`);
    const body = $('jobs-table').tBodies[0];
    if (!more) body.replaceChildren();
    let older = false;
    for (const job of page.items) {
      if (!visible(job)) { older = older || Boolean(state.filters.since); continue; }
      fillRow(body.insertRow(), job);
    }
    state.cursor = page.nextCursor;
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
function onJobEvent(event) {
  onJob({ ...event, type: event.jobType });
  if (state.open === event.jobId) openJob(event.jobId);
}

function connectLive() {
  if (state.socket || !state.config.webSocketUrl) return;
  const socket = new WebSocket(`${state.config.webSocketUrl}?token=${encodeURIComponent(state.key)}`);
  state.socket = socket;
  socket.onopen = () => socket.send(JSON.stringify({ action: 'subscribe', tenant: true }));
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'subscribed') $('live').textContent = 'live';
    if (event.type === 'job') onJobEvent(event);
  };
  socket.onclose = () => {
    $('live').textContent = 'reconnecting';
    state.socket = null;
    if (state.key) setTimeout(connectLive, 2000);
  };
}

async function openJob(id) {
  state.open = id;
  show('job-detail');
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
    $('cancel-job').disabled = !['scheduled', 'queued', 'retrying', 'running'].includes(job.status) || job.cancelRequested;
    $('retry-job').disabled = !['dead', 'cancelled'].includes(job.status);
    const deliveries = await api('GET', `/v1/jobs/${encodeURIComponent(id)}/deliveries`);
    const body = $('deliveries-table').tBodies[0];
    body.replaceChildren();
    for (const d of deliveries.items ?? []) {
      const row = body.insertRow();
      cell(row, d.attempt);
      cell(row, d.at);
      cell(row, d.statusCode);
      cell(row, d.latencyMs === undefined ? '' : `${d.latencyMs} ms`);
      cell(row, d.error);
    }
  } catch (e) {
    $('detail-result').textContent = e.message;
  }
}

async function act(action) {
  $('detail-result').textContent = '';
  try {
    const job = await api('POST', `/v1/jobs/${encodeURIComponent(state.open)}/${action}`);
    $('detail-result').textContent = action === 'cancel' && job.status === 'running' ? 'cancel requested' : `${action}: ${job.status}`;
    openJob(state.open);
  } catch (e) {
    $('detail-result').textContent = e.message;
  }
}

function route() {
  if (!state.key) return show('sign-in');
  const job = location.hash.match(/^#job\/(.+)$/);
  if (job) return openJob(decodeURIComponent(job[1]));
  state.open = null;
  show('jobs');
}

async function signIn(key) {
  state.key = key;
  try {
    await api('GET', '/v1/jobs?limit=1');
  } catch (e) {
    state.key = null;
    $('sign-in-error').textContent = `Not signed in: ${e.message}`;
    return;
  }
  sessionStorage.setItem(KEY, key);
  $('sign-in-error').textContent = '';
  $('api-key').value = '';
  connectLive();
  await loadJobs(false);
  route();
}

function wire() {
  $('sign-in-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('api-key').value.trim()); });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    state.key = null;
    if (state.socket) state.socket.close();
    location.hash = '';
    show('sign-in');
  });
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const since = $('filter-since').value;
    state.filters = { status: $('filter-status').value, type: $('filter-type').value.trim(),
      since: since ? new Date(since) : null };
    loadJobs(false);
  });
  $('search-button').addEventListener('click', () => {
    const id = $('search-id').value.trim();
    if (id) location.hash = `#job/${encodeURIComponent(id)}`;
  });
  $('more').addEventListener('click', () => loadJobs(true));
  $('submit-form').addEventListener('submit', async (e) => {
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
  });
  $('cancel-job').addEventListener('click', () => act('cancel'));
  $('retry-job').addEventListener('click', () => act('retry'));
  window.addEventListener('hashchange', route);
}

async function start() {
  const response = await fetch('config.json');
  state.config = await response.json();
  wire();
  if (state.key) {
    connectLive();
    await loadJobs(false);
  }
  route();
}

start();
