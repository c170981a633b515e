// Jobway's dashboard: plain JavaScript modules, no build step. It reads config.json (the API's URL and the
// WebSocket API's; the local runtime serves its own), signs in with an API key kept in this tab's session storage,
// and talks to /v1 and the WebSocket API as any client would.
import { $, KEY, api, state } from './api.js';
import { closeJob, loadJobs, onJobEvent, openJob, wireJobs } from './jobs.js';
import { closeQueues, openQueues } from './queues.js';
import { loadDlq, wireDlq } from './dlq.js';
import { loadSchedules } from './schedules.js';

const VIEWS = ['sign-in', 'jobs', 'job-detail', 'queues', 'dlq', 'schedules'];

function show(view) {
  for (const id of VIEWS) $(id).hidden = id !== view;
  const signedIn = view !== 'sign-in';
  $('views').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  $('live').hidden = !signedIn;
  const section = view === 'job-detail' ? 'jobs' : view;
  for (const a of $('views').querySelectorAll('a')) {
    if (a.hash === `#${section}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
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

function route() {
  if (!state.key) return show('sign-in');
  const hash = location.hash;
  const job = hash.match(/^#job\/(.+)$/);
  if (!hash.startsWith('#queues')) closeQueues();
  if (!job) closeJob();
  if (job) {
    show('job-detail');
    return openJob(decodeURIComponent(job[1]));
  }
  if (hash === '#queues') {
    show('queues');
    return openQueues();
  }
  if (hash === '#dlq') {
    show('dlq');
    return loadDlq(false);
  }
  if (hash === '#schedules') {
    show('schedules');
    return loadSchedules();
  }
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
    // a fresh page: nothing the last key could see stays in it, not a table row nor a chart's points
    location.replace(location.pathname);
  });
  wireJobs();
  wireDlq();
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
