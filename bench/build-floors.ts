// npm test builds the floors before the tests (bench/floors.ts keeps them under a hash), so that the
// bench's smoke test (test/bench.test.ts) times the tests and not ncc: on a fresh clone the two
// builds cost about 8 s of CPU, once.
import { resolve } from 'node:path';
import { buildFloors } from './floors.js';

const built = await buildFloors(resolve(import.meta.dirname, '..'), (line) => console.log(line));
console.log(`bench: the floors are built (${Object.keys(built).join(', ')}).`);
