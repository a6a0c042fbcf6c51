// npm run readme: regenerates the inputs and outputs tables in README.md from action.yml, so the
// documentation cannot drift from the contract. A test fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReadmeTables } from './readme-tables-lib.js';

const root = join(import.meta.dirname, '..');
const readme = join(root, 'README.md');
const updated = renderReadmeTables(readFileSync(join(root, 'action.yml'), 'utf8'), readFileSync(readme, 'utf8'));
writeFileSync(readme, updated);
console.log('README.md tables regenerated from action.yml');
