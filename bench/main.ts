// `npm run bench` runs every benchmark; `npm run bench -- ranking` (or reservation, parsing,
// workflow) runs some. The service's own logs are off unless LOG_LEVEL says otherwise:
// writing them is not what these numbers measure. Set before the logger module loads.
export {};

process.env.LOG_LEVEL ??= 'silent';
const { runBenchmarks } = await import('./run-benchmarks');
await runBenchmarks(process.argv.slice(2));
