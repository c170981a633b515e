// The DLQ view: the tenant's dead jobs, and redrive of one, a selection, or all of them (POST /v1/dlq/redrive).
import { $, api, cell, problem, when } from './api.js';

const dlq = { cursor: null };

function fillRow(row, job) {
  row.dataset.jobId = job.jobId;
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.value = job.jobId;
  box.setAttribute('aria-label', `select ${job.jobId}`);
  row.insertCell().append(box);
  const link = document.createElement('a');
  link.href = `#job/${job.jobId}`;
  link.textContent = job.jobId;
  row.insertCell().append(link);
  cell(row, job.type);
  cell(row, job.error ? `${job.error.type}: ${job.error.message}` : '');
  cell(row, `${job.attempt}/${job.maxAttempts}`);
  cell(row, when(job.finishedAt));
  const redrive = document.createElement('button');
  redrive.type = 'button';
  redrive.textContent = 'Redrive';
  redrive.className = 'redrive-one';
  redrive.addEventListener('click', () => redriveJobs({ jobIds: [job.jobId] }));
  row.insertCell().append(redrive);
}

export async function loadDlq(more) {
  $('dlq-error').textContent = '';
  const params = new URLSearchParams({ limit: '50' });
  if ($('dlq-type').value.trim()) params.set('type', $('dlq-type').value.trim());
  if ($('dlq-error-type').value.trim()) params.set('errorType', $('dlq-error-type').value.trim());
  if (more && dlq.cursor) params.set('cursor', dlq.cursor);
  try {
    const page = await api('GET', `/v1/dlq?${params}`);
    const body = $('dlq-table').tBodies[0];
    if (!more) body.replaceChildren();
    for (const job of page.items) fillRow(body.insertRow(), job);
    dlq.cursor = page.nextCursor;
    $('dlq-more').hidden = !page.nextCursor;
    $('dlq-empty').hidden = body.rows.length > 0;
  } catch (e) {
    $('dlq-error').textContent = problem(e);
  }
}

/**
 * Redrives what each request names, in turn; a request is asked again while the API says there is more (it takes
 * up to 100 jobs a call).
 */
async function redriveJobs(...requests) {
  $('dlq-result').textContent = '';
  let redriven = 0;
  let skipped = 0;
  try {
    for (const request of requests) {
      for (let more = true; more;) {
        const answer = await api('POST', '/v1/dlq/redrive', request);
        redriven += answer.redriven.length;
        skipped += answer.skipped.length;
        more = answer.more;
      }
    }
    $('dlq-result').textContent = `redriven ${redriven}` + (skipped ? `, ${skipped} no longer dead` : '');
  } catch (e) {
    $('dlq-result').textContent = problem(e);
  }
  await loadDlq(false);
}

function selected() {
  return [...document.querySelectorAll('#dlq-table tbody input[type=checkbox]:checked')].map((b) => b.value);
}

export function wireDlq() {
  $('dlq-filters').addEventListener('submit', (e) => { e.preventDefault(); loadDlq(false); });
  $('dlq-more').addEventListener('click', () => loadDlq(true));
  $('dlq-select-all').addEventListener('change', (e) => {
    for (const box of document.querySelectorAll('#dlq-table tbody input[type=checkbox]')) box.checked = e.target.checked;
  });
  $('dlq-redrive-selected').addEventListener('click', () => {
    const ids = selected();
    const batches = [];
    for (let i = 0; i < ids.length; i += 100) batches.push({ jobIds: ids.slice(i, i + 100) });
    if (batches.length) redriveJobs(...batches);
    else $('dlq-result').textContent = 'Select the jobs to redrive first.';
  });
  $('dlq-redrive-all').addEventListener('click', () => {
    if (confirm('Queue every dead job again?')) redriveJobs({ all: true });
  });
}
