// Prints the plain closing line "N passed, N failed" that CI reads, from vitest's JSON
// report, and exits non-zero unless every test passed: the report, not the runner's exit
// code, is the verdict, so nothing in the test process can turn a failure into success.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.log(`Tests: 0 passed, 1 failed (no readable report at ${path}: ${error.message})`);
  process.exit(1);
}
const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
const ok = report.success && report.numFailedTests === 0 && report.numFailedTestSuites === 0 && report.numPassedTests > 0;
process.exit(ok ? 0 : 1);
