// The UI benchmark: a table page over 10,000 rows (open, page, sort, filter), the requests a finished run's page
// makes, and the initial JavaScript's size. `npm run bench` (or ./dart bench-ui) starts dart from the packaged local
// jar, or uses E2E_BASE_URL and E2E_DATA_DIR. Each UI time is printed next to the API call it waits for, timed from
// here in the same run (the floor), as a ratio, with the machine's load.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch } from './browser.mjs';
import { AFTER_END_MS } from './constants.mjs';
import { callApi, startServer } from './server.mjs';

const ROWS = 10_000;
const REPEAT = 5;
let server;
let base;
let key;

function api(method, path, body) {
  return callApi(base, key, method, path, body);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeApi(query) {
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await api('GET', `/action?${new URLSearchParams(query)}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

function initialJsGzip() {
  const dist = resolve(import.meta.dirname, '..', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/([^"]+)"/g), ...html.matchAll(/<link rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);
  const lazy = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).length - scripts.length;
  return { kb: scripts.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0) / 1024, files: scripts.length, lazy };
}

async function main() {
  if (process.env.E2E_BASE_URL) {
    base = process.env.E2E_BASE_URL;
    key = readFileSync(join(process.env.E2E_DATA_DIR, 'admin.key'), 'utf8').trim();
  } else {
    server = await startServer();
    ({ url: base, adminKey: key } = server);
  }
  const tag = Date.now().toString(36);
  console.log(`ui bench: seeding ${ROWS} actions...`);
  const ds = (await api('POST', '/datastore', { data: { name: `bench-${tag}`, engine_name: 'no_op_engine', state: 'ACTIVE', args: { action_sleep_time_in_seconds: 0 } } })).results;
  const wf = (await api('POST', `/datastore/${ds.id}/workflow`, { data: { name: `bench-flow-${tag}`, state: 'ACTIVE' } })).results;
  for (let i = 0; i < ROWS; i += 2000) {
    await api('POST', `/workflow/${wf.id}/action`, Array.from({ length: 2000 }, (_, j) => ({ data: { name: `step-${String(i + j).padStart(5, '0')}`, action_type_name: 'fake_action_that_succeeds' } })));
  }
  const filter = JSON.stringify([`workflow_id = ${wf.id}`]);

  const browser = await launch();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  globalThis.benchPage = page;
  await page.goto(base + '/');
  await page.getByLabel('API key (key:secret)').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor();

  const firstRow = () => page.locator('tbody tr').first().getAttribute('data-row-id');
  async function settled(previous) {
    await page.waitForFunction((prev) => {
      const t = document.querySelector('table[aria-label], table');
      const row = document.querySelector('tbody tr[data-row-id]');
      return row && row.getAttribute('data-row-id') !== prev && !document.querySelector('table[aria-busy="true"]') && t;
    }, previous, { timeout: 60_000 });
  }
  const figures = [];
  // clicks are dispatched in the page, so the time is the app's, not the driver's actionability checks
  const click = (locator) => locator.evaluate((el) => el.click());
  async function measure(label, query, act) {
    const ui = [];
    for (let i = 0; i < REPEAT; i++) {
      const prev = await firstRow().catch(() => null);
      await page.getByRole('button', { name: 'next page' }).waitFor();
      const t0 = performance.now();
      await act(i);
      await settled(prev);
      ui.push(performance.now() - t0);
      await page.goto(`${base}/actions?size=100&f=${encodeURIComponent(filter)}`);
      await settled(null);
    }
    const floor = await timeApi(query);
    figures.push({ label, ui: median(ui), floor });
  }
  const listUrl = `${base}/actions?size=100&f=${encodeURIComponent(filter)}`;
  await page.goto(listUrl);
  await settled(null);
  const total = await page.getByText(/of \d+/).first().textContent();
  await measure('open the page (100 rows)', { limit: 100, offset: 0, filters: filter, order_by: '["created DESC"]' }, async () => { await page.goto(listUrl + '&page=2'); });
  await measure('next page', { limit: 100, offset: 100, filters: filter, order_by: '["created DESC"]' }, () => click(page.getByRole('button', { name: 'next page' })));
  await measure('sort by name', { limit: 100, offset: 0, filters: filter, order_by: '["name ASC"]' }, () => click(page.getByRole('button', { name: /^Name/ })));
  await measure('filter by name', { limit: 100, offset: 0, filters: JSON.stringify([`workflow_id = ${wf.id}`, 'name ~ step-05']), order_by: '["created DESC"]' },
    async () => { await page.getByRole('textbox', { name: 'Name', exact: true }).fill('step-05'); await page.keyboard.press('Enter'); });

  // a finished run's page: after the log's short read-out, no request at all
  const run = (await api('POST', '/datastore', { data: { name: `bench-run-${tag}`, engine_name: 'no_op_engine', state: 'ACTIVE', args: { action_sleep_time_in_seconds: 0 } } })).results;
  const flow = (await api('POST', `/datastore/${run.id}/workflow`, { data: { name: `bench-run-flow-${tag}`, state: 'ACTIVE' } })).results;
  await api('POST', `/workflow/${flow.id}/action`, { data: { name: 'only', action_type_name: 'fake_action_that_succeeds' } });
  await api('POST', `/workflow/${flow.id}/do-manual-trigger`, {});
  let instance;
  for (let i = 0; i < 120; i++) {
    instance = (await api('GET', `/workflow/${flow.id}/instance?limit=1`)).results[0];
    if (instance?.data.state === 'COMPLETED') break;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  await page.goto(`${base}/run/${instance.id}`);
  await page.getByTestId('run-state').getByText('COMPLETED').waitFor();
  // past the log's read-out after the end, and its last delayed read
  await page.waitForTimeout(AFTER_END_MS + 2000);
  const requests = [];
  page.on('request', (r) => r.url().includes('/api/1/') && requests.push(r.url()));
  await page.waitForTimeout(10_000);
  await browser.close();
  await server?.stop();

  const js = initialJsGzip();
  const [l1] = loadavg();
  console.log(`\nui bench (${cpus().length} cores, load average ${l1.toFixed(1)}; list of ${total?.split(' of ')[1]} actions, median of ${REPEAT})`);
  console.log('| what | UI (ms) | API call alone (ms) | ratio |');
  console.log('|---|---|---|---|');
  for (const f of figures) console.log(`| ${f.label} | ${f.ui.toFixed(0)} | ${f.floor.toFixed(0)} | ${(f.ui / f.floor).toFixed(1)} |`);
  console.log(`\nfinished run page: ${requests.length} requests in 10 s (after the log's ${AFTER_END_MS / 1000} s read-out) ${requests.join(' ')}`);
  console.log(`initial JavaScript: ${js.kb.toFixed(0)} KB gzipped in ${js.files} file(s); ${js.lazy} lazy chunk(s)`);
}

main().catch(async (e) => {
  console.error(`ui bench: ${e.stack ?? e}`);
  await globalThis.benchPage?.screenshot({ path: resolve(import.meta.dirname, '..', 'target', 'bench-failure.png') }).catch(() => {});
  await server?.stop().catch(() => {});
  process.exit(1);
});
