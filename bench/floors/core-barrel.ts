// The "core barrel" floor: what any action built on @actions/core pays before its own code runs
// (its public entry point loads the OIDC client, @actions/http-client and undici). `npm run bench`
// builds this file with ncc and divides validate's time by this bundle's.
import * as core from '@actions/core';

core.getInput('x');
