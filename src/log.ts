import { appendFile } from 'node:fs/promises';
import type { Redactor } from './redact.js';
import * as commands from './workflow-commands.js';

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/**
 * Everything this action says goes through here, scrubbed of secrets: logs, annotations,
 * outputs, the job summary and the failure message.
 */
export class Log {
  readonly #redactor: Redactor;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  scrub(text: string): string {
    return this.#redactor.scrub(text);
  }

  info(message: string): void {
    commands.info(this.scrub(message));
  }

  debug(message: string): void {
    commands.debug(this.scrub(message));
  }

  notice(message: string, props: AnnotationProps = {}): void {
    commands.notice(this.scrub(message), this.#props(props));
  }

  warning(message: string, props: AnnotationProps = {}): void {
    commands.warning(this.scrub(message), this.#props(props));
  }

  error(message: string, props: AnnotationProps = {}): void {
    commands.error(this.scrub(message), this.#props(props));
  }

  /** A collapsible group in the Actions log around one step ("Validate", "Apply"...). */
  async group<T>(name: string, step: () => Promise<T>): Promise<T> {
    commands.startGroup(name);
    try {
      return await step();
    } finally {
      commands.endGroup();
    }
  }

  setOutput(name: string, value: string): void {
    commands.setOutput(name, this.scrub(value));
  }

  fail(message: string): void {
    commands.setFailed(this.scrub(message));
  }

  /** Appends to the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the debug log. */
  async summary(markdown: string): Promise<void> {
    const text = this.scrub(markdown);
    if (!process.env.GITHUB_STEP_SUMMARY) {
      commands.debug(`No GITHUB_STEP_SUMMARY; the summary would be:\n${text}`);
      return;
    }
    // Appended directly: @actions/core's summary caches the file path of its first use.
    await appendFile(process.env.GITHUB_STEP_SUMMARY, text.endsWith('\n') ? text : `${text}\n`);
  }

  #props(props: AnnotationProps): AnnotationProps {
    return props.title === undefined ? props : { ...props, title: this.scrub(props.title) };
  }
}
