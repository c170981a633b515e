// The Schedules view: each cron schedule's next fire times and last fired job, and enable/disable (a PUT of the
// schedule with `enabled` flipped; the API works out the next fire time anew).
import { $, api, cell, problem, when } from './api.js';

function link(jobId) {
  const a = document.createElement('a');
  a.href = `#job/${jobId}`;
  a.textContent = jobId;
  return a;
}

function fillRow(row, schedule) {
  row.dataset.name = schedule.name;
  row.dataset.enabled = schedule.enabled;
  cell(row, schedule.name);
  cell(row, schedule.cron, 'mono');
  cell(row, schedule.timezone);
  cell(row, schedule.job.type);
  cell(row, schedule.enabled ? 'enabled' : 'disabled', 'enabled');
  const next = cell(row, '');
  next.className = 'next-fires';
  next.textContent = schedule.nextFireTimes.length ? schedule.nextFireTimes.map(when).join('\n') : 'none';
  const last = row.insertCell();
  if (schedule.lastFired) last.append(link(schedule.lastFired.jobId), ` at ${when(schedule.lastFired.fireTime)}`);
  else last.textContent = 'never';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'toggle';
  toggle.textContent = schedule.enabled ? 'Disable' : 'Enable';
  toggle.addEventListener('click', () => setEnabled(schedule, !schedule.enabled));
  row.insertCell().append(toggle);
}

async function setEnabled(schedule, enabled) {
  $('schedules-result').textContent = '';
  const { cron, timezone, job, catchUp } = schedule;
  try {
    await api('PUT', `/v1/schedules/${encodeURIComponent(schedule.name)}`, { cron, timezone, job, enabled, catchUp });
    $('schedules-result').textContent = `${schedule.name} ${enabled ? 'enabled' : 'disabled'}`;
  } catch (e) {
    $('schedules-result').textContent = problem(e);
  }
  await loadSchedules();
}

export async function loadSchedules() {
  $('schedules-error').textContent = '';
  try {
    const body = $('schedules-table').tBodies[0];
    const rows = [];
    let cursor = null;
    do { // a tenant has few schedules: every page, so the table is whole
      const page = await api('GET', `/v1/schedules${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    body.replaceChildren();
    for (const schedule of rows) fillRow(body.insertRow(), schedule);
    $('schedules-empty').hidden = rows.length > 0;
  } catch (e) {
    $('schedules-error').textContent = problem(e);
  }
}
