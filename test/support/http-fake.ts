/**
 * The generic parts of the HTTP fakes: a node:http server on 127.0.0.1 (random port) that
 * records every request, consumes injected faults per route, tracks sockets so close() never
 * waits on a hanging or keep-alive connection, and writes JSON answers.
 */
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { constants as zlib, gzipSync } from 'node:zlib';

/** A misbehaviour to answer one request with, instead of the normal handling. */
export type Fault =
  /** Answer with this status. Object bodies are JSON; string bodies text/plain unless `headers` set a content-type. No body: JSON {"message": reason}. */
  | { kind: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  /** Destroy the socket without answering. */
  | { kind: 'reset' }
  /** 200 with the content-length of a full answer, half of the body, then destroy the socket. */
  | { kind: 'reset-mid-body' }
  /** Never answer (the socket is destroyed by close()). */
  | { kind: 'hang' }
  /** 200, application/json, a truncated JSON body. */
  | { kind: 'malformed-json' }
  /** An HTML error page (default status 502), text/html. */
  | { kind: 'html'; status?: number }
  /** 200 JSON {"hello":"world"}. */
  | { kind: 'not-an-account' }
  /** A redirect (default 302) to `location`. */
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 307 | 308 }
  /**
   * An answer of `bytes` bytes (default 200, JSON), streamed in chunks as the client reads, so that
   * gigabytes cost the fake nothing; it stops when the client goes away. `declared` sends the
   * content-length up front.
   */
  | { kind: 'flood'; bytes: number; status?: number; declared?: boolean }
  /**
   * A gzip bomb: `bytes` bytes of JSON sent gzipped (about a thousandth of that on the wire), with
   * `content-encoding: gzip` and the small compressed length declared. fetch inflates it as read.
   */
  | { kind: 'gzip-flood'; bytes: number };

export type FaultKind = Fault['kind'];

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names lowercased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** The parsed body, when it was valid JSON. */
  json?: unknown;
  /** The fake's route name, when the request matched one. */
  route?: string;
  /** The fault the request was answered with, if any. */
  fault?: FaultKind;
  /** When the request had arrived in full (Date.now()). */
  at: number;
}

export interface RouteMatch<R extends string> {
  route: R;
  params: Record<string, string>;
}

/** What a route handler gets. */
export interface FakeRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  /** Whether the body parsed as JSON (an empty body does not). */
  hasJson: boolean;
  json: unknown;
  recorded: RecordedRequest;
}

export const MALFORMED_JSON_BODY = '{"id": "5fd4';

const gzipped = new Map<number, Buffer>();
/** `bytes` bytes of JSON (one long string value) gzipped at the best compression, made once per size. */
function gzipFlood(bytes: number): Buffer {
  let body = gzipped.get(bytes);
  if (!body) {
    body = gzipSync(Buffer.concat([Buffer.from('{"id": "'), Buffer.alloc(bytes - 8, 'a')]), { level: zlib.Z_BEST_COMPRESSION });
    gzipped.set(bytes, body);
  }
  return body;
}

export const HTML_ERROR_PAGE = (status: number): string => {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return (
    `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n` +
    `<body>\n<center><h1>${title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`
  );
};

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase());
}

function noBodyStatus(status: number): boolean {
  return (status >= 100 && status < 200) || status === 204 || status === 304;
}

/** Credentials of an `Authorization: Basic …` header, or undefined. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The token of an `Authorization: token X` or `Authorization: Bearer X` header, or undefined. */
export function parseTokenAuth(header: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** `Basic` authorization header value for fetch calls in tests. */
export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * Base of the fakes. Subclasses say which route a request is, whether it is authorized, and
 * how to answer it; this class does the rest. Faults are consumed before the authorization
 * check, as a proxy or load balancer in front of the API would answer them.
 */
export abstract class HttpFake<R extends string> implements AsyncDisposable {
  /** Every request received, in order, including unauthorized, unknown and faulted ones. */
  readonly requests: RecordedRequest[] = [];

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #faults = new Map<R, Fault[]>();
  #url: string | undefined;
  #closing: Promise<void> | undefined;

  /** The content-type of JSON answers. */
  protected jsonContentType = 'application/json';

  constructor() {
    this.#server = createServer((req, res) => {
      this.#onRequest(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        this.sendJson(res, 500, { message: `fake server error: ${error instanceof Error ? error.message : String(error)}` });
      });
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** Which route a request is, or undefined for an unknown one. */
  protected abstract match(method: string, path: string): RouteMatch<R> | undefined;
  /** Whether the request carries valid credentials. */
  protected abstract authorize(req: IncomingMessage): boolean;
  /** Answer a request without valid credentials. */
  protected abstract unauthorized(request: FakeRequest): void;
  /** Answer a request that matched no route (after the authorization check). */
  protected abstract notFound(request: FakeRequest): void;
  /** Answer a request for a route normally. */
  protected abstract handle(match: RouteMatch<R>, request: FakeRequest): void | Promise<void>;
  /** The full normal body of a route, used by the `reset-mid-body` fault. */
  protected abstract fullBody(route: R, request: FakeRequest): string;
  /** Headers added to every answer. */
  /** Looks at every request as it arrives (the fake GitHub checks it against GitHub's REST description). */
  protected inspect(_request: RecordedRequest): void {}

  protected baseHeaders(): Record<string, string> {
    return {};
  }

  /** Start listening on 127.0.0.1 on a free port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** "http://127.0.0.1:PORT", no trailing slash. */
  get url(): string {
    if (this.#url === undefined) throw new Error('fake server is not listening');
    return this.#url;
  }

  /** Answer the next `times` requests for `route` with `fault` (after any faults already queued). */
  inject(route: R, fault: Fault, times = 1): void {
    const queue = this.#faults.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.#faults.set(route, queue);
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /** Faults still queued for `route`. */
  pendingFaults(route: R): number {
    return this.#faults.get(route)?.length ?? 0;
  }

  /** Number of recorded requests for a route name or for "METHOD /path". */
  count(route: R | (string & {})): number {
    return this.requests.filter((r) => r.route === route || `${r.method} ${r.path}` === route).length;
  }

  /** Stop listening and destroy every open socket, hanging requests included. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Write a JSON answer. */
  protected sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(res, status, JSON.stringify(body), { 'content-type': this.jsonContentType, ...headers });
  }

  /** Write an answer with a string body (omitted for statuses that cannot have one). */
  protected send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    const all: Record<string, string> = { ...this.baseHeaders(), ...headers };
    if (noBodyStatus(status)) {
      for (const key of Object.keys(all)) if (key.toLowerCase() === 'content-type') delete all[key];
      res.writeHead(status, all);
      res.end();
      return;
    }
    const buffer = Buffer.from(body, 'utf8');
    res.writeHead(status, { ...all, 'content-length': String(buffer.length) });
    res.end(buffer);
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const query = url.searchParams;

    let hasJson = false;
    let json: unknown;
    if (body.trim() !== '') {
      try {
        json = JSON.parse(body);
        hasJson = true;
      } catch {
        // not JSON; handlers decide what that means
      }
    }

    const recorded: RecordedRequest = {
      method,
      path,
      query: new URLSearchParams(query),
      headers: flattenHeaders(req.headers),
      body,
      at: Date.now(),
    };
    if (hasJson) recorded.json = json;
    const match = this.match(method, path);
    if (match) recorded.route = match.route;
    this.requests.push(recorded);
    this.inspect(recorded);

    const request: FakeRequest = { req, res, method, path, query, body, hasJson, json, recorded };

    if (match) {
      const fault = this.#faults.get(match.route)?.shift();
      if (fault) {
        recorded.fault = fault.kind;
        this.#applyFault(fault, match.route, request);
        return;
      }
    }
    if (!this.authorize(req)) {
      this.unauthorized(request);
      return;
    }
    if (!match) {
      this.notFound(request);
      return;
    }
    await this.handle(match, request);
  }

  #applyFault(fault: Fault, route: R, request: FakeRequest): void {
    const { req, res } = request;
    switch (fault.kind) {
      case 'status': {
        const headers = fault.headers ?? {};
        if (fault.body === undefined) {
          this.sendJson(res, fault.status, { message: STATUS_CODES[fault.status] ?? 'Error' }, headers);
        } else if (typeof fault.body === 'string') {
          const contentType: Record<string, string> = hasHeader(headers, 'content-type') ? {} : { 'content-type': 'text/plain; charset=utf-8' };
          this.send(res, fault.status, fault.body, { ...contentType, ...headers });
        } else {
          this.sendJson(res, fault.status, fault.body, headers);
        }
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'reset-mid-body': {
        const full = Buffer.from(this.fullBody(route, request), 'utf8');
        res.writeHead(200, {
          ...this.baseHeaders(),
          'content-type': this.jsonContentType,
          'content-length': String(full.length),
        });
        res.write(full.subarray(0, Math.max(1, Math.floor(full.length / 2))), () => req.socket.destroy());
        return;
      }
      case 'hang':
        return;
      case 'malformed-json':
        this.send(res, 200, MALFORMED_JSON_BODY, { 'content-type': this.jsonContentType });
        return;
      case 'html': {
        const status = fault.status ?? 502;
        this.send(res, status, HTML_ERROR_PAGE(status), { 'content-type': 'text/html; charset=utf-8' });
        return;
      }
      case 'not-an-account':
        this.sendJson(res, 200, { hello: 'world' });
        return;
      case 'redirect':
        this.send(res, fault.status ?? 302, '', { location: fault.location });
        return;
      case 'gzip-flood': {
        const body = gzipFlood(fault.bytes);
        res.writeHead(200, { ...this.baseHeaders(), 'content-type': this.jsonContentType, 'content-encoding': 'gzip', 'content-length': String(body.length) });
        res.end(body);
        return;
      }
      case 'flood': {
        res.writeHead(fault.status ?? 200, {
          ...this.baseHeaders(),
          'content-type': this.jsonContentType,
          ...(fault.declared ? { 'content-length': String(fault.bytes) } : {}),
        });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        res.write('{"id": "');
        let left = fault.bytes - 8;
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
            left -= piece.length;
            if (!res.write(piece)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        res.on('close', () => (left = 0));
        pump();
        return;
      }
    }
  }
}
