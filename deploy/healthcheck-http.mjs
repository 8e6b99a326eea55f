// Container health check: exits 0 when the URL answers with a 2xx status within the time
// limit. The slim Node image has no curl or wget, so Node itself asks.
// Usage: node deploy/healthcheck-http.mjs http://127.0.0.1:8080/health
const { fetch, AbortSignal } = globalThis;
const url = process.argv[2];
if (!url) {
  console.error('usage: node deploy/healthcheck-http.mjs <url>');
  process.exit(2);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
