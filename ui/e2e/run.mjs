// End-to-end tests of the web UI in headless Debian chromium against the whole platform started from the packaged
// local jar. `node e2e/run.mjs` (npm run e2e); E2E_BASE_URL and E2E_DATA_DIR point it at a running dart instead.
// Screenshots go to target/screenshots; with --update-docs the main ones are also copied to docs/screenshots.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch } from './browser.mjs';
import { AFTER_END_MS } from './constants.mjs';
import { putObject } from './s3.mjs';
import { graphSpecs } from './graph.spec.mjs';
import { callApi, ROOT, startServer } from './server.mjs';

const SHOTS = resolve(import.meta.dirname, '..', 'target', 'screenshots');
const DOC_SHOTS = join(ROOT, 'docs', 'screenshots');
const DOC_PAGES = ['dashboard', 'workflows', 'workflow-history', 'run-failed', 'run-completed', 'trigger', 'dataset-guess', 'engine', 'graph-demo', 'workflow-editor'];
const UPDATE_DOCS = process.argv.includes('--update-docs');
const T = 30_000;
const RUN_T = 120_000;

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

let server;
let base;
let adminKey;
let endpoints;
let browser;
let page;
const consoleErrors = [];
const ctx = { unique: Date.now().toString(36) };

function api(method, path, body, key = adminKey) {
  return callApi(base, key, method, path, body);
}

async function shot(name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function signIn(key) {
  await page.goto(base + '/');
  // whoever is signed in (a viewer, after the viewer's test) signs out first
  await page.getByRole('button', { name: 'Sign out' }).or(page.getByLabel('API key (key:secret)')).first().waitFor({ timeout: T });
  if (await page.getByRole('button', { name: 'Sign out' }).count()) await signOut();
  await page.getByLabel('API key (key:secret)').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor({ timeout: T });
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: T });
}

/** A control by its label, or by its CSS selector when it starts with '#' (rjsf fields: #root_name). */
function control(labelOrSelector) {
  // a required field's label ends with Mantine's asterisk
  return labelOrSelector.startsWith('#') ? page.locator(labelOrSelector) : page.getByLabel(new RegExp(`^${labelOrSelector}( \\*)?$`));
}

/** Picks an option of a Mantine Select or MultiSelect. */
async function choose(labelOrSelector, option) {
  const box = labelOrSelector.startsWith('#') ? page.locator(labelOrSelector) : page.getByRole('combobox', { name: labelOrSelector, exact: true });
  await box.click();
  await page.getByRole('option', typeof option === 'string' ? { name: option, exact: true } : { name: option }).first().click();
  await page.keyboard.press('Escape');
}

async function textField(labelOrSelector, value) {
  await control(labelOrSelector).fill(value);
}

async function waitText(text, timeout = T) {
  await page.getByText(text, { exact: false }).first().waitFor({ timeout });
}

async function idFromUrl(prefix) {
  await page.waitForURL(new RegExp(`${prefix}/[A-Za-z0-9]+(\\?|$)`), { timeout: T });
  return new URL(page.url()).pathname.split('/')[2];
}

// ------------------------------------------------------------------------------------------------------ the tests

test('signs in with the admin key and shows the role', async () => {
  await signIn(adminKey);
  const role = await page.getByTestId('role').textContent();
  if (role !== 'admin') throw new Error(`role shows '${role}'`);
  await page.getByRole('link', { name: 'API keys' }).waitFor();
});

test('creates a datastore through the form', async () => {
  // a launched engine whose tasks print lines (kept as logs); its `flaky` steps fail while a marker file exists
  ctx.marker = join(server?.dataDir ?? process.env.E2E_DATA_DIR, `broken-${ctx.unique}`);
  ctx.engine = `e2e_node_engine_${ctx.unique}`;
  await api('POST', '/engine', { data: {
    name: ctx.engine, description: 'prints and checks in (browser tests)',
    options_json_schema: { type: 'object', properties: { region: { type: 'string', description: 'where it runs' }, token: { type: 'string', 'x-dart-secret': true } } },
    supported_action_types: [
      { name: 'echo', description: 'prints three lines', params_json_schema: { type: 'object', properties: { message: { type: 'string' } } } },
      { name: 'flaky', description: 'fails while the marker file exists', params_json_schema: { type: 'object' } },
    ],
    launcher: { type: 'local_process', command: ['node', resolve(import.meta.dirname, 'engine.mjs'), ctx.marker] },
  } });
  await page.goto(base + '/datastores/new');
  await choose('Engine', ctx.engine);
  await textField('#root_name', `e2e-store-${ctx.unique}`);
  await choose('#root_state', 'ACTIVE');
  await textField('#root_args_region', 'eu-west-1');
  await page.locator('#root_args_token').fill('s3cr3t-token');
  await page.getByRole('button', { name: 'Create' }).click();
  ctx.datastoreId = await idFromUrl('/datastore');
  await waitText(`e2e-store-${ctx.unique}`);
  const shown = await page.content();
  if (shown.includes('s3cr3t-token')) throw new Error('the secret is displayed');
});

test('creates a three-step workflow with a parallel branch through the forms', async () => {
  await page.goto(`${base}/workflows/new?datastore_id=${ctx.datastoreId}`);
  await textField('#root_name', `e2e-flow-${ctx.unique}`);
  await choose('#root_state', 'ACTIVE');
  await page.getByRole('button', { name: 'Create' }).click();
  ctx.workflowId = await idFromUrl('/workflow');
  for (const [name, type, deps] of [['extract', 'echo', []], ['left', 'echo', ['extract']], ['right', 'flaky', ['extract']]]) {
    await page.goto(`${base}/actions/new?workflow_id=${ctx.workflowId}`);
    await choose('Action type', `${type}: ${type === 'echo' ? 'prints three lines' : 'fails while the marker file exists'}`);
    for (const d of deps) await choose('Depends on', d);
    await textField('#root_name', name);
    // a failing step halts its run without deactivating the workflow and datastore, so the run can be resumed
    if (type === 'flaky') await choose('#root_on_failure', 'HALT');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(new RegExp(`/workflow/${ctx.workflowId}`), { timeout: T });
    await page.getByRole('row').filter({ hasText: name }).first().waitFor({ timeout: T });
  }
});

test('runs the workflow and sees it complete', async () => {
  await page.goto(`${base}/workflow/${ctx.workflowId}`);
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/tab=runs/, { timeout: T });
  await page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'manual' }).first().getByRole('link').first().click();
  await page.waitForURL(/\/run\//, { timeout: T });
  ctx.firstRun = new URL(page.url()).pathname.split('/')[2];
  await page.getByTestId('run-state').getByText('COMPLETED').waitFor({ timeout: RUN_T });
  await page.waitForFunction(() => !document.body.innerText.includes('live'), null, { timeout: RUN_T });
  const text = await page.locator('main').innerText();
  for (const step of ['extract', 'left', 'right']) if (!text.includes(step)) throw new Error(`step ${step} not shown`);
  await page.getByRole('button', { name: 'Step left' }).click();
  await page.getByRole('log').getByText('working: step 3 of 3').waitFor({ timeout: T });
  await shot('run-completed');
});

test('a finished run page makes no periodic requests', async () => {
  // the log is read for a few seconds after a step ends (its task's output is stored then), then never again
  await page.waitForTimeout(AFTER_END_MS + 1000);
  const seen = [];
  const listener = (r) => r.url().includes('/api/1/') && seen.push(r.url());
  page.on('request', listener);
  await page.waitForTimeout(6000);
  page.off('request', listener);
  if (seen.length) throw new Error(`requests while idle: ${seen.join(', ')}`);
});

test('a failing step shows its error and its logs', async () => {
  writeFileSync(ctx.marker, 'broken');
  await api('POST', `/workflow/${ctx.workflowId}/do-manual-trigger`, { parameters: { day: '2026-12-01' } });
  const runs = await api('GET', `/workflow/${ctx.workflowId}/instance?order_by=${encodeURIComponent('["created DESC"]')}&limit=1`);
  ctx.failedRun = runs.results[0].id;
  await page.goto(`${base}/run/${ctx.failedRun}`);
  await page.getByTestId('run-error').waitFor({ timeout: RUN_T });
  await page.getByTestId('step-error').getByText('upstream unreachable (flaky step)').waitFor({ timeout: T });
  await page.getByRole('log').getByText('cannot reach the upstream system').waitFor({ timeout: T });
  await page.getByLabel('Search the log').fill('upstream');
  await page.getByText('1 matching lines').waitFor({ timeout: T });
  await shot('run-failed');
});

test('resumes the failed run to completion', async () => {
  rmSync(ctx.marker);
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByTestId('run-state').getByText('COMPLETED').waitFor({ timeout: RUN_T });
  await page.getByTestId('run-error').waitFor({ state: 'detached', timeout: T });
});

test('shows the workflow history grid and deep links survive a reload', async () => {
  await page.goto(`${base}/workflow/${ctx.workflowId}?tab=history`);
  await page.getByRole('table', { name: 'Run history by step' }).waitFor({ timeout: T });
  await page.reload();
  await page.getByRole('table', { name: 'Run history by step' }).waitFor({ timeout: T });
  await waitText(`e2e-flow-${ctx.unique}`);
  await shot('workflow-history');
});

test('filters a table from its columns and keeps the filter in the URL', async () => {
  await page.goto(`${base}/workflows`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`e2e-flow-${ctx.unique}`);
  await page.keyboard.press('Enter');
  await page.waitForURL(/f=/, { timeout: T });
  await page.reload();
  await page.getByRole('row').filter({ hasText: `e2e-flow-${ctx.unique}` }).waitFor({ timeout: T });
  const rows = await page.locator('tbody tr').count();
  if (rows !== 1) throw new Error(`${rows} rows for one matching workflow`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('');
  await page.keyboard.press('Enter');
  await shot('workflows');
});

test('creates a scheduled trigger: the server message shows on its field, the cron reads in words', async () => {
  await page.goto(`${base}/triggers/new`);
  await choose('Trigger type', /^scheduled/);
  await choose('Workflows it runs', `e2e-flow-${ctx.unique}`);
  await textField('#root_name', `e2e-nightly-${ctx.unique}`);
  await textField('#root_args_cron_pattern', '0 99 * * ? *');
  ctx.expectedConsole = /status of 400/;
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor({ timeout: T });
  const fieldError = page.locator('#root_args_cron_pattern').locator('xpath=ancestor::*[contains(@class, "mantine-InputWrapper-root")][1]');
  await fieldError.getByText(/cron|hour|99/i).first().waitFor({ timeout: T });
  await textField('#root_args_cron_pattern', '0 10 * * ? *');
  await page.getByRole('button', { name: 'Create' }).click();
  await idFromUrl('/trigger');
  await page.getByTestId('cron-reading').getByText('10:00').waitFor({ timeout: T });
  if ((await page.getByTestId('cron-next').locator('li').count()) !== 5) throw new Error('not five next times');
  await shot('trigger');
});

test('guesses a dataset from a file uploaded to the local S3 and saves it', async () => {
  const path = await putObject(endpoints, `e2e/${ctx.unique}/orders.csv`, 'order_id,amount,shipped\n1,9.50,true\n2,12.00,false\n');
  await page.goto(`${base}/datasets/guess`);
  await page.getByLabel('S3 path of a file').fill(path);
  await page.getByRole('button', { name: 'Guess' }).click();
  await page.locator('#root_name').waitFor({ timeout: T });
  const guessed = await page.locator('#root_name').inputValue();
  if (!guessed.includes('orders')) throw new Error(`guessed name '${guessed}'`);
  if ((await page.locator('#root_columns_0_name').inputValue()) !== 'order_id') throw new Error('the first column is not order_id');
  await shot('dataset-guess');
  await textField('#root_name', `orders_${ctx.unique}`);
  await page.getByRole('button', { name: 'Create' }).click();
  await idFromUrl('/dataset');
  await waitText(`orders_${ctx.unique}`);
});

test('shows an engine with its action types and schemas', async () => {
  const engines = await api('GET', `/engine?filters=${encodeURIComponent(JSON.stringify([`name = ${ctx.engine}`]))}`);
  await page.goto(`${base}/engine/${engines.results[0].id}`);
  await page.getByRole('table', { name: 'Parameters of echo' }).getByText('message').waitFor({ timeout: T });
  await page.getByText('launched (local_process)').waitFor({ timeout: T });
  await shot('engine');
});

test('the dashboard shows counts, running and failed runs', async () => {
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: T });
  await page.getByRole('heading', { name: 'Failed in the last 24 hours' }).waitFor({ timeout: T });
  await page.getByRole('heading', { name: 'Next scheduled runs' }).waitFor({ timeout: T });
  await shot('dashboard');
});

test('a viewer sees no edit, run or delete controls', async () => {
  const made = await api('POST', '/api_key', { data: { user_id: `viewer-${ctx.unique}@example.com`, role: 'viewer' } });
  await signOut();
  await signIn(`${made.results.data.key}:${made.results.data.secret}`);
  await page.goto(`${base}/workflow/${ctx.workflowId}`);
  await waitText(`e2e-flow-${ctx.unique}`);
  for (const name of ['Edit', 'Run now', 'Delete', 'Duplicate', 'Add step']) {
    if (await page.getByRole('button', { name, exact: true }).count()) throw new Error(`a viewer sees '${name}'`);
    if (await page.getByRole('link', { name, exact: true }).count()) throw new Error(`a viewer sees the link '${name}'`);
  }
  await page.goto(`${base}/workflows`);
  await page.getByRole('row').filter({ hasText: `e2e-flow-${ctx.unique}` }).waitFor({ timeout: T });
  if (await page.getByRole('link', { name: /^New / }).count()) throw new Error('a viewer sees a New button');
  if (await page.getByRole('link', { name: 'API keys' }).count()) throw new Error('a viewer sees API keys');
  await page.getByRole('button', { name: `Actions for e2e-flow-${ctx.unique}` }).click();
  for (const name of ['Edit', 'Delete', 'Run now', 'Duplicate']) {
    if (await page.getByRole('menuitem', { name }).count()) throw new Error(`a viewer's row menu has '${name}'`);
  }
  await page.keyboard.press('Escape');
  await page.goto(`${base}/run/${ctx.failedRun}`);
  await page.getByTestId('run-state').getByText('COMPLETED').waitFor({ timeout: T });
  if (await page.getByRole('button', { name: 'Run again' }).count()) throw new Error('a viewer sees Run again');
});

test('stays usable in a narrow window', async () => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${base}/runs`);
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await page.getByRole('link', { name: 'Workflows' }).click();
  await page.waitForURL(/\/workflows/, { timeout: T });
  await shot('narrow-workflows');
  await page.setViewportSize({ width: 1280, height: 800 });
});

graphSpecs(test, { page: () => page, base: () => base, adminKey: () => adminKey, api, signIn, shot, T, RUN_T });

// ------------------------------------------------------------------------------------------------------ the runner

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  if (process.env.E2E_BASE_URL) {
    base = process.env.E2E_BASE_URL;
    const dir = process.env.E2E_DATA_DIR;
    adminKey = readFileSync(join(dir, 'admin.key'), 'utf8').trim();
    endpoints = JSON.parse(readFileSync(join(dir, 'local-endpoints.json'), 'utf8'));
  } else {
    console.log('ui e2e: starting dart (the packaged local jar)...');
    server = await startServer();
    ({ url: base, adminKey, endpoints } = server);
  }
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(T);
  // a test that provokes a refused request says so in ctx.expectedConsole (the browser logs every 4xx)
  page.on('console', (m) => m.type() === 'error' && !(ctx.expectedConsole && ctx.expectedConsole.test(m.text())) && consoleErrors.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  let passed = 0;
  let failed = 0;
  const only = process.env.E2E_ONLY;
  for (const t of tests) {
    if (only && !new RegExp(only).test(t.name)) continue;
    const started = Date.now();
    const errorsBefore = consoleErrors.length;
    try {
      ctx.expectedConsole = null;
      await t.fn();
      if (consoleErrors.length > errorsBefore) throw new Error(`console errors:\n  ${consoleErrors.slice(errorsBefore).join('\n  ')}`);
      passed++;
      console.log(`ok   ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}: ${e.message.split('\n').slice(0, 8).join('\n')}`);
      await page.screenshot({ path: join(SHOTS, `FAILED-${t.name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    }
  }
  await browser.close();
  if (failed && server) writeFileSync(join(SHOTS, 'server.log'), server.log());
  await server?.stop();
  if (UPDATE_DOCS && !failed) {
    mkdirSync(DOC_SHOTS, { recursive: true });
    for (const name of DOC_PAGES) copyFileSync(join(SHOTS, `${name}.png`), join(DOC_SHOTS, `${name}.png`));
  }
  console.log(`ui e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(async (e) => {
  console.error(`ui e2e: ${e.stack ?? e}`);
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  process.exit(1);
});
