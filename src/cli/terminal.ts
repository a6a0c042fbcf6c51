import { createInterface } from 'node:readline';
import { styleText } from 'node:util';
import { escapeJsonText } from '../json-text.js';
import { commandInert, printable } from '../printable.js';
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
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

const quieted = new WeakSet<NodeJS.WriteStream>();

/**
 * A reader that stops early (`plan | head -1`) closes the pipe, and the next write fails with
 * EPIPE: nobody is left to read, which is no failure of the command's. The stream is then closed,
 * later writes go nowhere, and the command ends with its own exit code, without a stack trace.
 * Any other write error is still thrown.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
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

/** A piece of text to show in a style (bold, red...), where the terminal has colours. */
export interface Painted {
  style: Style;
  text: string;
}

/** What a line is made of: plain text, or text in a style. */
export type Part = string | Painted;

/**
 * Where a command says things. Every text passes the redactor first: the API key and any account
 * secret seen on the way can never reach the terminal, a pipe or a file. Then it is made printable
 * (printable.ts): an escape sequence or control character from a server's answer is shown, never
 * written raw. Styles are applied after that, so the only escape sequences written are the
 * colours this code asks for. The command line may run in a workflow, whose runner reads its
 * output: no line it writes can start a workflow command (commandInert).
 */
export class Output {
  readonly io: Io;
  readonly json: boolean;
  readonly #redactor: Redactor;
  readonly #paintOut: Paint;
  readonly #paintErr: Paint;

  constructor(io: Io, redactor: Redactor, json: boolean) {
    this.io = io;
    this.json = json;
    this.#redactor = redactor;
    this.#paintOut = painter(io.stdout, io.env);
    this.#paintErr = painter(io.stderr, io.env);
  }

  scrub(text: string): string {
    return this.#redactor.scrub(text);
  }

  /** Text in a style, for line(), note(), warn() and error(). */
  paint(style: Style, text: string): Painted {
    return { style, text };
  }

  /** One line: each part scrubbed and printable, then the whole line kept from reading as a workflow command. */
  #render(parts: readonly Part[], paint: Paint): string {
    return commandInert(
      parts.map((part) => (typeof part === 'string' ? printable(this.scrub(part)) : paint(part.style, printable(this.scrub(part.text))))).join(''),
    );
  }

  /** A line of the command's result on stdout; nothing in --json mode, where stdout is the JSON. */
  line(...parts: Part[]): void {
    if (!this.json) this.io.stdout.write(`${this.#render(parts, this.#paintOut)}\n`);
  }

  /** A line about the run (progress, notes, warnings) on stderr. */
  note(...parts: Part[]): void {
    this.io.stderr.write(`${this.#render(parts, this.#paintErr)}\n`);
  }

  warn(...parts: Part[]): void {
    this.note(this.paint(['bold', 'yellow'], 'warning:'), ' ', ...parts);
  }

  error(...parts: Part[]): void {
    this.note(this.paint(['bold', 'red'], 'error:'), ' ', ...parts);
  }

  /**
   * The one JSON object of --json mode, on stdout: C1 controls, separators, bidirectional controls
   * and the "[" of "##[" (a runner would read it as a command) as \u escapes (jsonText).
   */
  emit(value: unknown): void {
    const json = escapeJsonText(this.scrub(JSON.stringify(value, null, 2)));
    this.io.stdout.write(`${json}\n`);
  }

  /** A question at the terminal, printable and scrubbed like every line. */
  question(...parts: Part[]): string {
    return this.#render(parts, this.#paintErr);
  }

  /** A spinner on stderr while `work` runs, only when stderr is a terminal; otherwise quiet. */
  async progress<T>(text: string, work: () => Promise<T>): Promise<T> {
    const stream = this.io.stderr;
    if (stream.isTTY !== true || this.io.env.TERM === 'dumb') return work();
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let frame = 0;
    const draw = () => stream.write(`\r${this.#render([this.paint('cyan', frames[frame++ % frames.length] ?? '-'), ' ', text], this.#paintErr)}`);
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

/** Columns padded to their widest cell; the last column is not padded. Cells are measured as they will print. */
export function renderTable(rows: readonly (readonly string[])[], paintCell: (row: number, column: number, text: string) => Part): Part[][] {
  const shown = rows.map((row) => row.map(printable));
  const widths: number[] = [];
  for (const row of shown) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return shown.map((row, r) => {
    const parts: Part[] = [];
    row.forEach((cell, c) => {
      const last = c === row.length - 1;
      if (c > 0) parts.push('  ');
      if (last) {
        if (cell !== '') parts.push(paintCell(r, c, cell));
        return;
      }
      parts.push(paintCell(r, c, cell), ' '.repeat((widths[c] ?? 0) - [...cell].length));
    });
    while (parts.length > 0 && typeof parts.at(-1) === 'string' && (parts.at(-1) as string).trim() === '') parts.pop();
    return parts;
  });
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
