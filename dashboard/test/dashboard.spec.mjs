// The dashboard in a real browser: Debian's Chromium driven by Playwright (playwright-core, pinned in
// package.json). Run by local's DashboardE2ETest against a local runtime: node dashboard.spec.mjs BASE_URL API_KEY
// SCREENSHOT_DIR OTHER_TENANTS_KEY. Exits non-zero, saying what failed, at the first check that does not hold.
import { launchChromium } from './chromium.mjs';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';

const [base, key, shots, otherKey] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await launchChromium();
const consoleErrors = [];
// the elements that stick out past the window's right edge, to name in a failure
const tooWide = (page) => page.evaluate(() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.offsetParent !== null
    && !e.parentElement.closest('.table-wrap')) // a wide table scrolls inside its wrap
  .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')}`).join(', '));
const call = async (method, path, body) => {
  const response = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
};
// the app's endpoint that an http job calls: down (503) until the test mends it, as a real outage would be
let mended = false;
const endpoint = createServer((req, res) => {
  res.writeHead(mended ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ mended }));
});
await new Promise((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
let step = 'start';
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const expected404s = new Set(); // the browser logs a 404 the test asks for, as it would any
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().includes('status of 404') && expected404s.has(new URL(m.location().url).pathname)) return;
    consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const row = (id) => page.locator(`#jobs-table tbody tr[data-job-id="${id}"]`);

  step = 'sign in from the keyboard';
  await page.goto(base + '/');
  await page.locator('#sign-in').waitFor();
  await page.focus('#api-key');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.locator('#jobs').waitFor();
  await page.locator('#live', { hasText: 'live' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('jobway.apiKey')), key);

  step = 'submit a job and see it reach succeeded live, without a reload';
  await page.fill('#submit-type', 'sleep');
  await page.fill('#submit-payload', '{"ms":1500}');
  await page.click('#submit-form button[type=submit]');
  const submitted = (await page.locator('#submit-result', { hasText: 'submitted' }).textContent()).split(' ')[1];
  await row(submitted).waitFor();
  const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  await page.locator(`#jobs-table tbody tr[data-job-id="${submitted}"][data-status="succeeded"]`)
    .waitFor({ timeout: 20_000 });
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), loads, 'no reload');
  await page.screenshot({ path: `${shots}/jobs.png`, fullPage: true });

  step = 'filter by status';
  await page.selectOption('#filter-status', 'succeeded');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('#jobs-table tbody tr')]
    .every((r) => r.dataset.status === 'succeeded'));
  assert.ok(await row(submitted).count() === 1, 'the succeeded job is listed');

  step = "open a job's detail";
  await row(submitted).locator('a').click();
  await page.locator('#detail-status', { hasText: 'succeeded' }).waitFor();
  assert.match(await page.textContent('#detail-result-json'), /"ms"|slept|1500/);
  assert.ok(await page.isDisabled('#cancel-job'), 'a finished job cannot be cancelled');
  assert.deepEqual(await page.$$eval('#attempts-table tbody tr', (rows) => rows.map((r) => r.cells[3].textContent)),
    ['succeeded'], 'its one attempt, with its outcome');
  assert.match(await page.textContent('#attempts-table tbody tr td:nth-child(3)'), /^\d+(\.\d)? (ms|s)$/);
  await page.screenshot({ path: `${shots}/detail.png`, fullPage: true });

  step = 'cancel a running job, then retry it';
  await page.click('a[href="#jobs"] >> nth=-1');
  await page.selectOption('#filter-status', '');
  await page.click('#filters button[type=submit]');
  await page.fill('#submit-payload', '{"ms":30000}');
  await page.click('#submit-form button[type=submit]');
  const long = (await page.locator('#submit-result', { hasText: 'submitted' }).textContent()).split(' ')[1];
  await page.locator(`#jobs-table tbody tr[data-job-id="${long}"][data-status="running"]`).waitFor({ timeout: 20_000 });
  await row(long).locator('a').click();
  await page.locator('#detail-status', { hasText: 'running' }).waitFor();
  await page.click('#cancel-job');
  await page.locator('#detail-status', { hasText: 'cancelled' }).waitFor({ timeout: 20_000 });
  await page.click('#retry-job');
  await page.locator('#detail-result', { hasText: 'retry: queued' }).waitFor();

  step = 'the queues view: depth per queue and charts drawn from /v1/stats';
  await page.click('nav a[href="#queues"]');
  await page.locator('#queues-table tbody tr[data-queue="normal"]').waitFor();
  assert.deepEqual(await page.$$eval('#queues-table tbody tr', (rows) => rows.map((r) => r.dataset.queue)),
    ['normal', 'high', 'low', 'dead-letter', 'webhook-dead-letter']);
  await page.waitForFunction(() => Number(document.getElementById('charts').dataset.points) >= 2, null,
    { timeout: 15_000 });
  assert.equal(await page.locator('#charts canvas').count(), 3, 'three uPlot charts');
  assert.match(await page.textContent('#windows-table tbody'), /last minute/);
  assert.match(await page.textContent('#types-table tbody'), /sleep/);
  await page.screenshot({ path: `${shots}/queues.png`, fullPage: true });

  step = 'redrive one dead job from the DLQ once its endpoint is mended';
  await call('POST', '/v1/webhook-secrets'); // http jobs are signed with the tenant's webhook secret
  const url = `http://127.0.0.1:${endpoint.address().port}/charge`;
  const dead = [];
  for (let i = 0; i < 3; i++) {
    dead.push((await call('POST', '/v1/jobs', { type: 'http', maxAttempts: 1, payload: { url, method: 'POST' } })).jobId);
  }
  for (const id of dead) {
    for (let tries = 0; (await call('GET', `/v1/jobs/${id}`)).status !== 'dead'; tries++) {
      assert.ok(tries < 100, `job ${id} did not die`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  mended = true;
  await page.click('nav a[href="#dlq"]');
  const deadRow = (id) => page.locator(`#dlq-table tbody tr[data-job-id="${id}"]`);
  for (const id of dead) await deadRow(id).waitFor();
  assert.match(await deadRow(dead[0]).textContent(), /IOException.*503/);
  await page.screenshot({ path: `${shots}/dlq.png`, fullPage: true });
  await deadRow(dead[0]).locator('button.redrive-one').click();
  await page.locator('#dlq-result', { hasText: 'redriven 1' }).waitFor();
  await deadRow(dead[0]).waitFor({ state: 'detached' });

  step = 'redrive a selection, then all';
  await deadRow(dead[1]).locator('input[type=checkbox]').check();
  await page.click('#dlq-redrive-selected');
  await page.locator('#dlq-result', { hasText: 'redriven 1' }).waitFor();
  await deadRow(dead[1]).waitFor({ state: 'detached' });
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('#dlq-redrive-all');
  await deadRow(dead[2]).waitFor({ state: 'detached' });
  for (const id of dead) {
    for (let tries = 0; (await call('GET', `/v1/jobs/${id}`)).status !== 'succeeded'; tries++) {
      assert.ok(tries < 100, `redriven job ${id} did not succeed`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  step = 'schedules: next fire times, disable and enable';
  const name = `nightly-${Date.now()}`;
  await call('POST', '/v1/schedules', { name, cron: '0 2 * * *', timezone: 'Europe/Berlin',
    job: { type: 'echo', payload: { report: 'nightly' } } });
  await page.click('nav a[href="#schedules"]');
  const schedule = page.locator(`#schedules-table tbody tr[data-name="${name}"]`);
  await schedule.waitFor();
  assert.equal((await schedule.locator('td.next-fires').textContent()).split('\n').length, 5, 'five next fire times');
  await page.screenshot({ path: `${shots}/schedules.png`, fullPage: true });
  await schedule.locator('button.toggle').click();
  await page.locator(`#schedules-table tbody tr[data-name="${name}"][data-enabled="false"]`).waitFor();
  assert.equal(await schedule.locator('td.next-fires').textContent(), 'none');
  assert.equal((await call('GET', `/v1/schedules/${name}`)).enabled, false);
  await schedule.locator('button.toggle').click();
  await page.locator(`#schedules-table tbody tr[data-name="${name}"][data-enabled="true"]`).waitFor();
  await call('DELETE', `/v1/schedules/${name}`);

  step = 'phone width';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/#jobs');
  await page.locator('#jobs').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone: ${await tooWide(page)}`);
  await page.screenshot({ path: `${shots}/phone.png`, fullPage: true });
  await page.goto(base + '/#queues');
  await page.locator('#queues-table tbody tr[data-queue="normal"]').waitFor();
  await page.locator('#charts canvas >> nth=2').waitFor();
  const queuesOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(queuesOverflow <= 0,
    `the queues view is ${queuesOverflow} px wider than a phone: ${await tooWide(page)}`);

  step = 'sign out';
  await page.click('#sign-out');
  await page.locator('#sign-in').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('jobway.apiKey')), null);

  step = "another tenant signed in sees none of the first one's jobs";
  await page.fill('#api-key', otherKey);
  await page.press('#api-key', 'Enter');
  await page.locator('#jobs').waitFor();
  await page.waitForFunction(() => document.querySelector('#jobs-error').textContent === ''
    && !document.getElementById('jobs').hidden);
  assert.equal(await row(submitted).count(), 0, "the first tenant's job is not listed");
  assert.equal(await row(long).count(), 0);
  expected404s.add(`/v1/jobs/${submitted}`);
  await page.fill('#search-id', submitted);
  await page.click('#search-button');
  await page.locator('#detail-result', { hasText: '404' }).waitFor();
  assert.equal(await page.textContent('#detail-payload'), '', 'nothing of the job is shown');
  await page.click('#sign-out');
  await page.locator('#sign-in').waitFor();

  step = 'no console errors';
  assert.deepEqual(consoleErrors, []);
  console.log('dashboard: every check held');
} catch (e) {
  console.error(`dashboard: failed at "${step}": ${e.message}`);
  if (consoleErrors.length) console.error(`console errors: ${consoleErrors.join(' | ')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  endpoint.close();
}
