// The dashboard in a real browser: Debian's Chromium driven by Playwright (playwright-core, pinned in
// package.json). Run by local's DashboardE2ETest against a local runtime: node dashboard.spec.mjs BASE_URL API_KEY
// SCREENSHOT_DIR. Exits non-zero, saying what failed, at the first check that does not hold.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [base, key, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // the machine's network is closed: no background fetches, no component updates, no QUIC
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const consoleErrors = [];
let step = 'start';
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
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

  step = 'phone width';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/#jobs');
  await page.locator('#jobs').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone`);
  await page.screenshot({ path: `${shots}/phone.png`, fullPage: true });

  step = 'sign out';
  await page.click('#sign-out');
  await page.locator('#sign-in').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('jobway.apiKey')), null);

  step = 'no console errors';
  assert.deepEqual(consoleErrors, []);
  console.log('dashboard: every check held');
} catch (e) {
  console.error(`dashboard: failed at "${step}": ${e.message}`);
  if (consoleErrors.length) console.error(`console errors: ${consoleErrors.join(' | ')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
