// Property-based tests explore the same inputs on every run, so a test's outcome never
// depends on when it runs: one fixed seed for fast-check, unless FC_SEED asks for another
// (to explore further by hand: `FC_SEED=$RANDOM npx vitest run test/bots/parsing`). A
// failure prints its seed and path, which reproduce it.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_201) });
