#!/usr/bin/env node
// Runs the *.test.ts files under the given directories with Node's built-in test runner (through
// tsx). Node 20's runner does not expand globs or know .ts files, so the files are listed here.
// Usage: node scripts/run-tests.mjs <dir|file>... [-- <extra node --test flags>]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const targets = split === -1 ? args : args.slice(0, split);
const extra = split === -1 ? [] : args.slice(split + 1);

function collect(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return collect(child);
      return entry.name.endsWith('.test.ts') ? [child] : [];
    });
}

const files = targets.flatMap(collect);
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts files under ${targets.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
