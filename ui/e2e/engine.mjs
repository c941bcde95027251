// A launched engine for the browser tests (one process per action, as dart's engine worker starts it): checks the
// action out, prints a few lines (kept as the action's logs), and checks in. `flaky` fails while the file named by
// the first argument exists, so a test can fail a run, remove the file and resume it.
import { existsSync } from 'node:fs';

const [, , brokenMarker] = process.argv;
const { DART_API_URL: api, DART_API_KEY: key, DART_ACTION_ID: id } = process.env;
const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Accept: 'application/json' };

async function call(method, path, body) {
  const r = await fetch(`${api}/api/1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const work = await call('PUT', `/engine/action/${id}/checkout`);
const action = work.results.action;
const type = action.data.action_type_name;
console.log(`starting ${action.data.name} (${type})`);
for (let i = 1; i <= 3; i++) console.log(`working: step ${i} of 3`);
if (type === 'flaky' && brokenMarker && existsSync(brokenMarker)) {
  console.error('cannot reach the upstream system');
  await call('PUT', `/engine/action/${id}/checkin`, { state: 'FAILURE', error_message: 'upstream unreachable (flaky step)' });
} else {
  console.log('done');
  await call('PUT', `/engine/action/${id}/checkin`, { state: 'SUCCESS' });
}
