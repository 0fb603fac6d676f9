/**
 * The closing line of a CI run: compares the tests Vitest lists (every test of every file, as
 * collected without running them) with what its JSON reporter says ran, so that a test file
 * whose process crashed, or that never reported, shows up as tests that did not run instead of
 * vanishing from the count.
 *
 *   node scripts/ci-summary.mjs <vitest list --json file> <vitest --reporter=json file>...
 *
 * (one JSON report per Vitest run: `npm test` runs several, scripts/test.sh).
 *
 * Prints `tests: P passed, F failed, S skipped, N did not run` (and which: each failed test with
 * the first lines of its failure) and exits 1 when any test failed, was skipped or did not run.
 * Before it, what the pages of each failed browser test showed (test-output/failed-pages.txt,
 * written by test/helpers/browserTest.ts): a CI run may be seen only by its last lines, and each
 * run prints a failure's report long before.
 */
import { existsSync, readFileSync } from 'node:fs';

const [listFile, ...reportFiles] = process.argv.slice(2);
if (!listFile || reportFiles.length === 0) {
  console.error('usage: node scripts/ci-summary.mjs <list.json> <report.json>...');
  process.exit(2);
}

/** @type {Array<{ name: string; file: string }>} */
const listed = JSON.parse(readFileSync(listFile, 'utf8'));
/** Every file's results, over all the reports. */
const testResults = reportFiles.flatMap((file) => JSON.parse(readFileSync(file, 'utf8')).testResults ?? []);

/** The reported tests of each file: their full names and statuses. */
const reported = new Map();
const fileErrors = [];
let passed = 0;
let failed = 0;
let skipped = 0;
/** Tests that failed, with the start of their first failure: a run may be seen only by its last lines. */
const failures = [];
/** Tests that passed on a second run (vitest.config.ts retries only those whose WebRTC test peers crashed): said, not hidden. */
const retried = [];
for (const file of testResults) {
  const tests = (file.assertionResults ?? []).map((t) => ({ name: [...(t.ancestorTitles ?? []), t.title].join(' > '), status: t.status, failures: t.failureMessages ?? [] }));
  reported.set(file.name, tests);
  for (const t of tests) {
    if (t.status === 'passed') passed++;
    else if (t.status === 'failed') failed++;
    else skipped++;
    if (t.status === 'failed') failures.push(`${file.name} :: ${t.name}\n${firstLines(t.failures[0] ?? '(no message)')}`);
    if (t.status === 'passed' && t.failures.length > 0) retried.push(`${file.name} :: ${t.name}: ${t.failures[0].split('\n')[0]}`);
  }
  // A file that failed outside its tests (a crash, an error in a hook or at import).
  if (file.status === 'failed' && file.message) fileErrors.push(`${file.name}: ${file.message.split('\n')[0]}`);
}

/**
 * A listed name as a pattern: test.each and describe.each are listed with their templates
 * (`%d tiles`, `$kind`), and a name written as a template literal in a loop with its
 * placeholder (`${format}`); each is reported once per case with the values filled in.
 */
function namePattern(name) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const filled = escaped
    .replace(/%[sdifjoOc#]/g, '.*?')
    .replace(/\\\$\\\{[^}]*\\\}/g, '.*?')
    .replace(/\\\$[A-Za-z_][\w.]*/g, '.*?');
  return new RegExp(`^${filled}$`);
}

/** The first lines of a failure message (the error and where it was thrown), indented under the test's name. */
function firstLines(message) {
  return message
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, 8)
    .map((line) => `      ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`)
    .join('\n');
}

const notRun = [];
for (const t of listed) {
  // `vitest list` writes a title's double quotes escaped (\"); the reporter does not.
  const name = t.name.replaceAll('\\"', '"');
  const pattern = namePattern(name);
  if (!(reported.get(t.file) ?? []).some((r) => r.name === name || pattern.test(r.name))) notRun.push(`${t.file} :: ${name}`);
}

const PAGE_REPORTS = 'test-output/failed-pages.txt';
if (existsSync(PAGE_REPORTS)) {
  const text = readFileSync(PAGE_REPORTS, 'utf8');
  console.log(`what the pages of the failed browser tests showed (${PAGE_REPORTS}):`);
  console.log(text.length > 8000 ? `${text.slice(0, 8000)}\n… (${text.length - 8000} more characters in the file)` : text);
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped, ${notRun.length} did not run`);
for (const line of failures.slice(0, 20)) console.log(`  failed: ${line}`);
if (failures.length > 20) console.log(`  … and ${failures.length - 20} more failed`);
for (const line of retried) console.log(`  passed when run again: ${line}`);
for (const line of fileErrors) console.log(`  file error: ${line}`);
for (const line of notRun.slice(0, 50)) console.log(`  did not run: ${line}`);
if (notRun.length > 50) console.log(`  … and ${notRun.length - 50} more`);
process.exit(failed > 0 || skipped > 0 || notRun.length > 0 || fileErrors.length > 0 ? 1 : 0);
