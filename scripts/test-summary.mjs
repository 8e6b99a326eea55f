// Prints the plain closing line "N passed, N failed" that CI reads, from vitest's JSON report.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
try {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch (error) {
  console.log(`Tests: 0 passed, 1 failed (no readable report at ${path}: ${error.message})`);
}
