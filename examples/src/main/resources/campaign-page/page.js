// The campaign page: plain JavaScript, as an app would write it. Its backend (api/campaigns) submits the job and
// mints a browser token; the page follows the job over Jobway's WebSocket with that token and reads the result
// with it. The token reads this one job and nothing else, and stops working within 15 minutes.
const $ = (id) => document.getElementById(id);
const STEPS = ['search', 'enrich', 'score', 'export'];
let current = null; // { jobId, token, apiUrl, webSocketUrl }, and the updatedAt of the state last drawn

/** Each of the four steps ends at a quarter more (search 25 %, ..., export 100 %); its message names the step. */
function drawProgress(progress) {
  if (!progress) return;
  $('bar').value = progress.percent;
  const [step, detail] = progress.message.split(/:\s*/, 2);
  STEPS.forEach((name, i) => {
    const li = $('steps').querySelector(`[data-step="${name}"]`);
    li.dataset.state = progress.percent >= (i + 1) * 25 ? 'done' : progress.percent >= i * 25 ? 'running' : 'pending';
    if (name === step) {
      const span = li.querySelector('.detail') ?? li.appendChild(Object.assign(document.createElement('span'), { className: 'detail' }));
      span.textContent = detail ?? '';
    }
  });
}

async function readJob() {
  const response = await fetch(`${current.apiUrl}/v1/jobs/${current.jobId}`,
    { headers: { authorization: `Bearer ${current.token}` } });
  if (!response.ok) throw new Error(`reading the job: ${response.status}`);
  return response.json();
}

function drawResult(result) {
  $('summary').textContent = `${result.qualified} of ${result.prospects} prospects qualified for "${result.campaign}".`;
  const body = $('top').tBodies[0];
  body.replaceChildren();
  for (const p of result.top) {
    const row = body.insertRow();
    for (const value of [p.email, p.company, p.score]) row.insertCell().textContent = value;
  }
  $('download').href = URL.createObjectURL(new Blob([result.csv], { type: 'text/csv' }));
  $('result').hidden = false;
}

async function onState(job) {
  if (current.updatedAt && Date.parse(job.updatedAt) < Date.parse(current.updatedAt)) return; // older, late
  current.updatedAt = job.updatedAt;
  $('status').textContent = job.status;
  drawProgress(job.progress);
  if (job.status === 'succeeded') {
    const full = job.result ? job : await readJob(); // an event carries no result: the job's view does
    drawResult(full.result);
    $('generate').disabled = false;
  } else if (job.status === 'dead' || job.status === 'cancelled') {
    $('error').textContent = `The campaign ${job.status}${job.error ? `: ${job.error.message}` : ''}`;
    $('generate').disabled = false;
  }
}

function follow() {
  const socket = new WebSocket(`${current.webSocketUrl}?token=${encodeURIComponent(current.token)}`);
  socket.onopen = () => socket.send(JSON.stringify({ action: 'subscribe', jobId: current.jobId }));
  socket.onmessage = async (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'subscribed') onState(await readJob()); // what happened before the subscription
    if (event.type === 'job' && event.jobId === current.jobId) {
      await onState(event);
      if (['succeeded', 'dead', 'cancelled'].includes(event.status)) socket.close();
    }
  };
}

$('campaign-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('error').textContent = '';
  $('result').hidden = true;
  $('generate').disabled = true;
  const response = await fetch('api/campaigns', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: $('name').value, audience: $('audience').value, size: Number($('size').value) }),
  });
  const answer = await response.json();
  if (!response.ok) {
    $('error').textContent = answer.detail ?? answer.message ?? response.statusText;
    $('generate').disabled = false;
    return;
  }
  current = answer;
  $('job-id').textContent = current.jobId;
  $('bar').value = 0;
  for (const li of $('steps').children) { li.dataset.state = 'pending'; li.querySelector('.detail')?.remove(); }
  $('run').hidden = false;
  follow();
});
