// The runner's workflow commands this action writes (log lines, annotations, masks, groups,
// outputs, the failure), built on @actions/core's own leaf modules rather than its entry point.
// The entry point also loads the OIDC client, and with it @actions/http-client and undici (about
// 1 MB), at start: only a GitHub call needs those. The package's `exports` map exposes nothing but
// its entry point, so the leaf modules are imported by file path. package.json pins the exact
// version, and test/workflow-commands.test.ts checks that each function here writes byte for byte
// what the entry point's function of the same name writes.
import type { AnnotationProperties } from '@actions/core';
import { EOL } from 'node:os';
import { issue, issueCommand } from '../node_modules/@actions/core/lib/command.js';
import { issueFileCommand, prepareKeyValueMessage } from '../node_modules/@actions/core/lib/file-command.js';
import { toCommandProperties, toCommandValue } from '../node_modules/@actions/core/lib/utils.js';

export type { AnnotationProperties };

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('notice', toCommandProperties(properties), message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', toCommandProperties(properties), message);
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', toCommandProperties(properties), message);
}

/** The runner masks `secret` in the log from now on. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    return;
  }
  process.stdout.write(EOL);
  issueCommand('set-output', { name }, toCommandValue(value));
}

/** Logs the message as an error and makes the step fail (exit code 1). */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** The log lines until endGroup() fold under `name` in the Actions UI. */
export function startGroup(name: string): void {
  issue('group', name);
}

export function endGroup(): void {
  issue('endgroup');
}

/** Whether the run was re-run with debug logging (the debug lines are shown). */
export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}
