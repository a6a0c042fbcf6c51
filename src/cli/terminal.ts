import { createInterface } from 'node:readline';
import { styleText } from 'node:util';
import type { Redactor } from '../redact.js';

/** A stream the CLI writes to: process.stdout or process.stderr, or a stand-in. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  hasColors?: () => boolean;
}

/** Everything the CLI touches outside itself, so a run can be pointed elsewhere. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

type Style = Parameters<typeof styleText>[0];
export type Paint = (style: Style, text: string) => string;

/**
 * Colours only on a terminal that has them, never with NO_COLOR set (https://no-color.org),
 * always with FORCE_COLOR set (other than 0/false), as Node itself decides.
 */
export function colourEnabled(stream: OutStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true && (stream.hasColors?.() ?? true);
}

export function painter(stream: OutStream, env: NodeJS.ProcessEnv): Paint {
  if (!colourEnabled(stream, env)) return (_style, text) => text;
  return (style, text) => styleText(style, text, { validateStream: false });
}

/**
 * Where a command says things. Every text passes the redactor first: the API key and any account
 * secret seen on the way can never reach the terminal, a pipe or a file.
 */
export class Output {
  readonly io: Io;
  readonly json: boolean;
  readonly paint: Paint;
  readonly paintErr: Paint;
  readonly #redactor: Redactor;

  constructor(io: Io, redactor: Redactor, json: boolean) {
    this.io = io;
    this.json = json;
    this.#redactor = redactor;
    this.paint = painter(io.stdout, io.env);
    this.paintErr = painter(io.stderr, io.env);
  }

  scrub(text: string): string {
    return this.#redactor.scrub(text);
  }

  /** A line of the command's result on stdout; nothing in --json mode, where stdout is the JSON. */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${this.scrub(text)}\n`);
  }

  /** A line about the run (progress, notes, warnings) on stderr. */
  note(text: string): void {
    this.io.stderr.write(`${this.scrub(text)}\n`);
  }

  warn(text: string): void {
    this.note(`${this.paintErr(['bold', 'yellow'], 'warning:')} ${text}`);
  }

  error(text: string): void {
    this.note(`${this.paintErr(['bold', 'red'], 'error:')} ${text}`);
  }

  /** The one JSON object of --json mode, on stdout. */
  emit(value: unknown): void {
    this.io.stdout.write(`${this.scrub(JSON.stringify(value, null, 2))}\n`);
  }

  /** A spinner on stderr while `work` runs, only when stderr is a terminal; otherwise quiet. */
  async progress<T>(text: string, work: () => Promise<T>): Promise<T> {
    const stream = this.io.stderr;
    if (stream.isTTY !== true || this.io.env.TERM === 'dumb') return work();
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let frame = 0;
    const draw = () => stream.write(`\r${this.paintErr('cyan', frames[frame++ % frames.length] ?? '-')} ${this.scrub(text)}`);
    draw();
    const timer = setInterval(draw, 80);
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    }
  }
}

/** Columns padded to their widest cell; the last column is not padded. */
export function renderTable(rows: readonly (readonly string[])[], paintCell: (row: number, column: number, text: string) => string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row, r) =>
    row
      .map((cell, c) => {
        const padded = c === row.length - 1 ? cell : cell + ' '.repeat((widths[c] ?? 0) - [...cell].length);
        return paintCell(r, c, padded);
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Asks a yes/no question on the terminal (stderr, so stdout stays the command's output).
 * Only "y" or "yes" confirm; end of input or Ctrl-C is a no.
 */
export async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('close', () => resolve(undefined));
      rl.once('SIGINT', () => {
        io.stderr.write('\n');
        resolve(undefined);
      });
      rl.question(question, (text) => resolve(text));
    });
    return answer !== undefined && /^\s*(y|yes)\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
