// The leadconduit-account command line (package.json "bin": dist/cli.js, which loads this bundle).
// It shares the action's schema, plan and LeadConduit client; only the terminal around them is its own.
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
