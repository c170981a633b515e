// The campaign example's page (examples/, served at /examples/campaign/) in Debian's Chromium, as a user clicks
// "generate campaign": every step is drawn live and the result at the end, and the page never holds an API key.
// Run by examples' CampaignPageE2ETest: node campaign.spec.mjs PAGE_URL SCREENSHOT_DIR.
import { launchChromium } from './chromium.mjs';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [url, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await launchChromium();
const consoleErrors = [];
const credentials = [];
let step = 'start';
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    const auth = r.headers().authorization;
    if (auth) credentials.push(auth.replace(/^Bearer /, ''));
    const token = new URL(r.url()).searchParams.get('token');
    if (token) credentials.push(token);
  });

  step = 'generate a campaign from the keyboard';
  await page.goto(url);
  await page.fill('#name', 'Spring launch');
  await page.selectOption('#audience', 'fintech');
  await page.fill('#size', '200');
  await page.focus('#generate');
  await page.keyboard.press('Enter');
  await page.locator('#run').waitFor();

  step = 'each step drawn live, in order';
  // the page's own record of what it drew: each step's state as it changed, in order
  await page.evaluate(() => {
    window.drawn = [];
    new MutationObserver((changes) => {
      for (const c of changes) window.drawn.push(`${c.target.dataset.step}:${c.target.dataset.state}`);
    }).observe(document.getElementById('steps'), { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  for (const name of ['search', 'enrich', 'score', 'export']) {
    await page.locator(`#steps li[data-step="${name}"][data-state="done"]`).waitFor({ timeout: 30_000 });
    if (name === 'score') await page.screenshot({ path: `${shots}/campaign-running.png`, fullPage: true });
  }
  const drawn = await page.evaluate(() => window.drawn);
  const firstDone = (name) => drawn.indexOf(`${name}:done`);
  assert.ok(firstDone('search') < firstDone('enrich') && firstDone('enrich') < firstDone('score')
    && firstDone('score') < firstDone('export'), `steps done in order: ${drawn}`);
  assert.ok(drawn.includes('enrich:running') && drawn.includes('score:running'),
    `steps were seen running before done, not only at the end: ${drawn}`);

  step = 'the result at the end';
  await page.locator('#status', { hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
  await page.locator('#result').waitFor();
  assert.match(await page.textContent('#summary'), /^\d+ of 200 prospects qualified for "Spring launch"\.$/);
  assert.equal(await page.locator('#top tbody tr').count(), 5);
  assert.equal(await page.getAttribute('#bar', 'value'), '100');
  const csv = await page.evaluate(async () => (await fetch(document.getElementById('download').href)).text());
  assert.equal(csv.split('\r\n')[0], 'email,company,role,employees,score');
  await page.screenshot({ path: `${shots}/campaign.png`, fullPage: true });

  step = 'the page held a browser token, never an API key';
  assert.ok(credentials.length > 0, 'the page called Jobway with its token');
  assert.ok(credentials.every((c) => c.startsWith('jwb_')), `credentials the page sent: ${credentials.map((c) => c.slice(0, 4))}`);
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);

  step = 'no console errors';
  assert.deepEqual(consoleErrors, []);
  console.log('campaign page: every check held');
} catch (e) {
  console.error(`campaign page: failed at "${step}": ${e.message}`);
  if (consoleErrors.length) console.error(`console errors: ${consoleErrors.join(' | ')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
