/**
 * The fakes with the few faults the generic `inject` cannot make (a body that stalls half-way,
 * an answer lost after the server acted, a server that stops listening mid-run, a concurrent
 * run's comment), and two bare servers: a closed port and a target that counts its visitors.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGitHub, type GitHubRoute } from './fake-github.js';
import { FakeLeadConduit, type LeadConduitRoute } from './fake-leadconduit.js';
import type { FakeRequest, RouteMatch } from './http-fake.js';
import { sampleAccount } from './sample-account.js';

/** 200 with the content-length of the whole answer, half of it, then silence (a body-read hang). */
function stallMidBody(res: ServerResponse, full: string): void {
  const buffer = Buffer.from(full, 'utf8');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(buffer.length) });
  res.write(buffer.subarray(0, Math.max(1, Math.floor(buffer.length / 2))));
}

export class FaultyLeadConduit extends FakeLeadConduit {
  /** Answer half a body, then nothing, this many times per route. */
  readonly stall = new Map<LeadConduitRoute, number>();
  /** Apply the PUT, then lose the answer: the socket reset, or a 502 from a proxy. */
  readonly lostAfterApply: Array<'reset' | 502> = [];
  /** Stop listening once this route has answered: later calls get "connection refused". */
  closeAfter: LeadConduitRoute | undefined;
  /** Faulty answers given by the faults above (those of `inject` are in `requests`). */
  customServed = 0;
  #lose: 'reset' | 502 | undefined;

  protected override handle(match: RouteMatch<LeadConduitRoute>, request: FakeRequest): void | Promise<void> {
    const stalls = this.stall.get(match.route) ?? 0;
    if (stalls > 0) {
      this.stall.set(match.route, stalls - 1);
      this.customServed++;
      stallMidBody(request.res, this.fullBody(match.route));
      return;
    }
    if (match.route === 'PUT /account' && this.lostAfterApply.length > 0) {
      this.#lose = this.lostAfterApply.shift();
      this.customServed++;
    }
    if (this.closeAfter === match.route) request.res.once('finish', () => void this.close());
    return super.handle(match, request);
  }

  protected override sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const lose = this.#lose;
    this.#lose = undefined;
    if (lose === 'reset') res.destroy();
    else if (lose === 502) super.sendJson(res, 502, { message: 'upstream timed out' });
    else super.sendJson(res, status, body, headers);
  }
}

export class FaultyGitHub extends FakeGitHub {
  /** Answer half a body, then nothing, this many times per route. */
  readonly stall = new Map<GitHubRoute, number>();
  /** Create the comment, then answer 502: the answer is lost, the comment exists. */
  createdThenFail = 0;
  /** Just before the next create, another run creates its own comment with this body (older, so it is the one kept). */
  concurrentCreate: string | undefined;
  /** Answer this many deletes with a 500, deleting nothing. */
  deleteFails = 0;
  /** Stop listening once this route has answered: later calls get "connection refused". */
  closeAfter: GitHubRoute | undefined;
  /** Faulty answers given by the faults above (those of `inject` are in `requests`). */
  customServed = 0;

  protected override handle(match: RouteMatch<GitHubRoute>, request: FakeRequest): void | Promise<void> {
    const stalls = this.stall.get(match.route) ?? 0;
    if (stalls > 0) {
      this.stall.set(match.route, stalls - 1);
      this.customServed++;
      stallMidBody(request.res, this.fullBody(match.route, request));
      return;
    }
    if (match.route === 'POST comment' && this.concurrentCreate !== undefined) {
      this.addComment(Number(match.params.number), this.concurrentCreate);
      this.concurrentCreate = undefined;
    }
    if (match.route === 'POST comment' && this.createdThenFail > 0) {
      this.createdThenFail--;
      this.customServed++;
      this.addComment(Number(match.params.number), String((request.json as { body?: unknown } | undefined)?.body));
      this.sendJson(request.res, 502, { message: 'Server Error' });
      return;
    }
    if (match.route === 'DELETE comment' && this.deleteFails > 0) {
      this.deleteFails--;
      this.customServed++;
      this.sendJson(request.res, 500, { message: 'Server Error' });
      return;
    }
    if (this.closeAfter === match.route) request.res.once('finish', () => void this.close());
    return super.handle(match, request);
  }
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that answers an account and counts what reached it (the target of a redirect). */
export async function countingServer(): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const target = { url: '', hits: 0, close: () => Promise.resolve() };
  const server = createServer((_req, res) => {
    target.hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sampleAccount()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  target.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return target;
}
