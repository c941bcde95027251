// `npm ci` when node_modules does not match package-lock.json, else nothing: a clean install costs 20-50 s and
// most builds have not changed a dependency. npm writes node_modules/.package-lock.json on every install.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const want = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
const installed = existsSync('node_modules/.package-lock.json')
  ? JSON.parse(readFileSync('node_modules/.package-lock.json', 'utf8')).packages ?? {}
  : null;
const same = installed !== null && Object.entries(want).every(([path, p]) =>
  path === '' || installed[path]?.version === p.version || (p.optional && !installed[path]));
if (same) {
  console.log('ui: node_modules matches package-lock.json');
} else {
  execSync('npm ci --no-audit --no-fund --prefer-offline', { stdio: 'inherit' });
}
