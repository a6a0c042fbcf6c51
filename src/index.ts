import { run } from './main.js';

// The entry point only starts the run; run() reports every failure itself.
await run();
