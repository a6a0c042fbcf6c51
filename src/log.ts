import { appendFileSync } from 'node:fs';
import type { Redactor } from './redact.js';
import { commandInert, printable } from './printable.js';
import * as commands from './workflow-commands.js';

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/**
 * Everything this action says goes through here, scrubbed of secrets: logs, annotations,
 * outputs, the job summary and the failure message. Every log line is one printable line (see
 * printable.ts), and none can start a workflow command: a value from outside holding a line break
 * and "::error::", or "##[error]" anywhere, stays data on the action's own line.
 */
export class Log {
  readonly #redactor: Redactor;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  scrub(text: string): string {
    return this.#redactor.scrub(text);
  }

  /** Every string of a report scrubbed, raw, before anything renders (cuts or escapes) it. */
  scrubDeep<T>(value: T): T {
    return this.#redactor.scrubDeep(value);
  }

  /** Scrubbed, then one printable line that no workflow command can start. */
  #line(message: string): string {
    return commandInert(printable(this.scrub(message)));
  }

  info(message: string): void {
    commands.info(this.#line(message));
  }

  /** Debug lines; a text of several lines (a stack trace) is logged line by line. */
  debug(message: string): void {
    for (const line of message.split('\n')) commands.debug(this.#line(line));
  }

  notice(message: string, props: AnnotationProps = {}): void {
    commands.notice(this.#line(message), this.#props(props));
  }

  warning(message: string, props: AnnotationProps = {}): void {
    commands.warning(this.#line(message), this.#props(props));
  }

  error(message: string, props: AnnotationProps = {}): void {
    commands.error(this.#line(message), this.#props(props));
  }

  /** A collapsible group in the Actions log around one step ("Validate", "Apply"...). */
  async group<T>(name: string, step: () => Promise<T> | T): Promise<T> {
    commands.startGroup(name);
    try {
      return await step();
    } finally {
      commands.endGroup();
    }
  }

  /** Every output is one printable line: a value from outside (the comment's URL) holds no raw control for the steps that read it. */
  setOutput(name: string, value: string): void {
    commands.setOutput(name, printable(this.scrub(value)));
  }

  fail(message: string): void {
    commands.setFailed(this.#line(message));
  }

  /** Appends to the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the debug log. */
  summary(markdown: string): void {
    const text = this.scrub(markdown);
    if (!process.env.GITHUB_STEP_SUMMARY) {
      this.debug(`No GITHUB_STEP_SUMMARY; the summary would be:\n${text}`);
      return;
    }
    // Appended directly: @actions/core's summary caches the file path of its first use.
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, text.endsWith('\n') ? text : `${text}\n`);
  }

  #props(props: AnnotationProps): AnnotationProps {
    return props.title === undefined ? props : { ...props, title: this.#line(props.title) };
  }
}
