/**
 * A fake GitHub REST API on 127.0.0.1: the subset octokit calls for issue comments, file
 * contents and commit → pull request lookups. Any owner/repo is accepted.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { restViolations } from './github-rest.js';
import { HttpFake, parseTokenAuth } from './http-fake.js';
import type { FakeRequest, RecordedRequest, RouteMatch } from './http-fake.js';

export type { Fault, RecordedRequest } from './http-fake.js';

export type GitHubRoute = 'GET comments' | 'POST comment' | 'PATCH comment' | 'DELETE comment' | 'GET contents' | 'GET commit pulls';

export interface FakeGitHubOptions {
  /** The token requests must carry (`token X` or `Bearer X`). Default "ghs_fake_token_123". */
  token?: string;
  /** Answer POST/PATCH/DELETE with 403, like a fork pull request's token. */
  readOnly?: boolean;
  /** The largest per_page honoured. Default 100. */
  perPage?: number;
  /** Owner and repo used in html_url of comments made with addComment(). Default "acme"/"settings". */
  owner?: string;
  repo?: string;
  /** The ref of the contents API when none is given. Default "main". */
  defaultRef?: string;
  /** Who the token is: the author of the comments it creates. Default github-actions[bot] (the default GITHUB_TOKEN). */
  user?: GitHubUser;
}

export interface GitHubUser {
  login: string;
  type: string;
}

export interface GitHubComment {
  id: number;
  issue_number: number;
  body: string;
  user: GitHubUser;
  created_at: string;
  updated_at: string;
  html_url: string;
}

export const DEFAULT_GITHUB_TOKEN = 'ghs_fake_token_123';
export const ACTIONS_BOT: GitHubUser = { login: 'github-actions[bot]', type: 'Bot' };

const DEFAULT_PER_PAGE = 30;
/** GitHub refuses a comment body longer than this (422). */
export const MAX_COMMENT_LENGTH = 65_536;
const DOCS = 'https://docs.github.com/rest';

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Base64 with a newline after every 60 characters, as the contents API sends it. */
export function githubBase64(content: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  const lines = encoded.match(/.{1,60}/g) ?? [];
  return lines.map((line) => `${line}\n`).join('');
}

function blobSha(content: string): string {
  const buffer = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${buffer.length}\0`).update(buffer).digest('hex');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export class FakeGitHub extends HttpFake<GitHubRoute> {
  readonly token: string;
  readonly readOnly: boolean;
  readonly perPage: number;
  readonly owner: string;
  readonly repo: string;
  readonly defaultRef: string;
  readonly user: GitHubUser;
  /** Live list of comments, all issues, ascending by id. */
  readonly comments: GitHubComment[] = [];
  /** File contents keyed `${ref}:${path}`. */
  readonly files = new Map<string, string>();
  /** Pull requests associated with a commit sha. */
  readonly commitPulls = new Map<string, Array<Record<string, unknown>>>();
  /** Every way a request strayed from GitHub's REST description (github-rest.ts); tests expect none. */
  readonly violations: string[] = [];
  /**
   * A broken or hostile GitHub: when set, every page of every issue's comments is full of comments
   * with this body, each with a `link: rel="next"` to the page after it, for ever (or up to `pages`,
   * whose last page has no next). Ids go on from page to page; nothing is kept in `comments`.
   */
  endlessComments: { body: string; user?: GitHubUser; pages?: number } | undefined;

  protected override jsonContentType = 'application/json; charset=utf-8';

  constructor(options: FakeGitHubOptions = {}) {
    super();
    this.token = options.token ?? DEFAULT_GITHUB_TOKEN;
    this.readOnly = options.readOnly ?? false;
    this.perPage = options.perPage ?? 100;
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'settings';
    this.defaultRef = options.defaultRef ?? 'main';
    this.user = options.user ?? ACTIONS_BOT;
  }

  /** Seed a comment (default author github-actions[bot]). */
  addComment(issueNumber: number, body: string, user: Partial<GitHubUser> = {}): GitHubComment {
    return this.#create(this.owner, this.repo, issueNumber, body, {
      login: user.login ?? ACTIONS_BOT.login,
      type: user.type ?? (user.login === undefined ? ACTIONS_BOT.type : 'User'),
    });
  }

  setFile(ref: string, path: string, content: string): void {
    this.files.set(`${ref}:${path.replace(/^\/+/, '')}`, content);
  }

  setCommitPulls(sha: string, pulls: Array<Record<string, unknown>>): void {
    this.commitPulls.set(sha, structuredClone(pulls));
  }

  /** Comments of one issue, ascending by id. */
  commentsOf(issueNumber: number): GitHubComment[] {
    return this.comments.filter((c) => c.issue_number === issueNumber).sort((a, b) => a.id - b.id);
  }

  #nextId(): number {
    return this.comments.reduce((max, c) => Math.max(max, c.id), 0) + 1;
  }

  #create(owner: string, repo: string, issueNumber: number, body: string, user: GitHubUser): GitHubComment {
    const id = this.#nextId();
    const now = timestamp();
    const comment: GitHubComment = {
      id,
      issue_number: issueNumber,
      body,
      user,
      created_at: now,
      updated_at: now,
      html_url: `https://github.com/${owner}/${repo}/pull/${issueNumber}#issuecomment-${id}`,
    };
    this.comments.push(comment);
    return comment;
  }

  protected override inspect(request: RecordedRequest): void {
    this.violations.push(...restViolations(request));
  }

  /**
   * Closing fails when a request strayed from GitHub's REST description, so every test that uses
   * this fake (fault cases, concurrent plans and hostile answers included) checks every request the
   * action made. A test that sends a bad request on purpose takes it out of `violations` first.
   */
  override async close(): Promise<void> {
    const violations = this.violations.splice(0);
    await super.close();
    if (violations.length > 0) throw new Error(`Requests that stray from GitHub's REST description:\n${violations.join('\n')}`);
  }

  protected override baseHeaders(): Record<string, string> {
    return { 'x-github-request-id': randomUUID().toUpperCase() };
  }

  protected match(method: string, path: string): RouteMatch<GitHubRoute> | undefined {
    const segments = path.split('/').slice(1);
    if (segments[0] !== 'repos' || segments.length < 4) return undefined;
    const [, owner = '', repo = '', kind, ...rest] = segments;
    const params: Record<string, string> = { owner: decodeSegment(owner), repo: decodeSegment(repo) };
    if (kind === 'issues' && rest.length === 2 && rest[0] === 'comments' && /^\d+$/.test(rest[1] ?? '')) {
      params.id = rest[1] ?? '';
      if (method === 'PATCH') return { route: 'PATCH comment', params };
      if (method === 'DELETE') return { route: 'DELETE comment', params };
      return undefined;
    }
    if (kind === 'issues' && rest.length === 2 && /^\d+$/.test(rest[0] ?? '') && rest[1] === 'comments') {
      params.number = rest[0] ?? '';
      if (method === 'GET') return { route: 'GET comments', params };
      if (method === 'POST') return { route: 'POST comment', params };
      return undefined;
    }
    if (kind === 'contents' && method === 'GET' && rest.length > 0 && rest.every((s) => s !== '')) {
      params.path = rest.map(decodeSegment).join('/');
      return { route: 'GET contents', params };
    }
    if (kind === 'commits' && method === 'GET' && rest.length === 2 && rest[1] === 'pulls' && rest[0]) {
      params.sha = decodeSegment(rest[0]);
      return { route: 'GET commit pulls', params };
    }
    return undefined;
  }

  protected authorize(req: IncomingMessage): boolean {
    return parseTokenAuth(req.headers.authorization) === this.token;
  }

  protected unauthorized({ res }: FakeRequest): void {
    this.sendJson(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
  }

  protected notFound({ res }: FakeRequest): void {
    this.sendJson(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  }

  protected fullBody(route: GitHubRoute, request: FakeRequest): string {
    const match = this.match(request.method, request.path);
    if (route === 'GET comments') return JSON.stringify(this.commentsOf(Number(match?.params.number)));
    if (route === 'GET commit pulls') return JSON.stringify(this.commitPulls.get(match?.params.sha ?? '') ?? []);
    return JSON.stringify({
      id: 1,
      body: 'x'.repeat(200),
      user: ACTIONS_BOT,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/1#issuecomment-1`,
    });
  }

  protected handle({ route, params }: RouteMatch<GitHubRoute>, request: FakeRequest): void | Promise<void> {
    const { res } = request;
    if (this.readOnly && request.method !== 'GET') {
      this.sendJson(res, 403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });
      return;
    }
    switch (route) {
      case 'GET comments':
        this.#listComments(request, Number(params.number));
        return;
      case 'POST comment': {
        const body = this.#commentBody(request);
        if (body === undefined) return;
        const comment = this.#create(params.owner ?? '', params.repo ?? '', Number(params.number), body, { ...this.user });
        this.sendJson(res, 201, comment, { location: `${this.url}/repos/${params.owner}/${params.repo}/issues/comments/${comment.id}` });
        return;
      }
      case 'PATCH comment': {
        const comment = this.comments.find((c) => c.id === Number(params.id));
        if (!comment) return this.notFound(request);
        const body = this.#commentBody(request);
        if (body === undefined) return;
        comment.body = body;
        comment.updated_at = timestamp();
        this.sendJson(res, 200, comment);
        return;
      }
      case 'DELETE comment': {
        const index = this.comments.findIndex((c) => c.id === Number(params.id));
        if (index < 0) return this.notFound(request);
        this.comments.splice(index, 1);
        this.send(res, 204, '');
        return;
      }
      case 'GET contents': {
        const ref = request.query.get('ref') || this.defaultRef;
        const path = params.path ?? '';
        const content = this.files.get(`${ref}:${path}`);
        if (content === undefined) return this.notFound(request);
        const name = path.split('/').at(-1) ?? path;
        const sha = blobSha(content);
        const apiUrl = `${this.url}/repos/${params.owner}/${params.repo}/contents/${path}?ref=${encodeURIComponent(ref)}`;
        this.sendJson(res, 200, {
          type: 'file',
          encoding: 'base64',
          size: Buffer.byteLength(content, 'utf8'),
          name,
          path,
          content: githubBase64(content),
          sha,
          url: apiUrl,
          html_url: `https://github.com/${params.owner}/${params.repo}/blob/${ref}/${path}`,
          git_url: `${this.url}/repos/${params.owner}/${params.repo}/git/blobs/${sha}`,
          download_url: `https://raw.githubusercontent.com/${params.owner}/${params.repo}/${ref}/${path}`,
        });
        return;
      }
      case 'GET commit pulls':
        this.sendJson(res, 200, this.commitPulls.get(params.sha ?? '') ?? []);
        return;
    }
  }

  /** The `body` string of a POST/PATCH, or undefined after answering the error. */
  #commentBody({ res, hasJson, json }: FakeRequest): string | undefined {
    if (!hasJson) {
      this.sendJson(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      return undefined;
    }
    const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).body : undefined;
    if (typeof body === 'string' && body.length > MAX_COMMENT_LENGTH) {
      this.sendJson(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)` }],
        documentation_url: DOCS,
        status: '422',
      });
      return undefined;
    }
    if (typeof body !== 'string') {
      this.sendJson(res, 422, {
        message: 'Invalid request.\n\n"body" wasn\'t supplied.',
        documentation_url: DOCS,
        status: '422',
      });
      return undefined;
    }
    return body;
  }

  #endlessComment(issueNumber: number, id: number, { body, user = ACTIONS_BOT }: NonNullable<FakeGitHub['endlessComments']>): GitHubComment {
    const at = timestamp();
    const html_url = `https://github.com/${this.owner}/${this.repo}/pull/${issueNumber}#issuecomment-${id}`;
    return { id, issue_number: issueNumber, body, user, created_at: at, updated_at: at, html_url };
  }

  #listComments(request: FakeRequest, issueNumber: number): void {
    const { res, query, path } = request;
    const requested = Number.parseInt(query.get('per_page') ?? '', 10);
    const perPage = Math.min(this.perPage, Number.isInteger(requested) && requested > 0 ? requested : DEFAULT_PER_PAGE);
    const pageParam = Number.parseInt(query.get('page') ?? '', 10);
    const page = Number.isInteger(pageParam) && pageParam > 0 ? pageParam : 1;

    const endless = this.endlessComments;
    const all = endless ? [] : this.commentsOf(issueNumber);
    const lastPage = endless ? (endless.pages ?? page + 1) : Math.max(1, Math.ceil(all.length / perPage));
    const ids = Array.from({ length: endless && page <= lastPage ? perPage : 0 }, (_, i) => (page - 1) * perPage + i + 1);
    const items = endless ? [] : all.slice((page - 1) * perPage, page * perPage);

    const link = (n: number, rel: string) => {
      const params = new URLSearchParams(query);
      params.set('per_page', String(perPage));
      params.set('page', String(n));
      return `<${this.url}${path}?${params.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(Math.min(page - 1, lastPage), 'prev'));
    if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {};
    if (!endless) {
      this.sendJson(res, 200, items, headers);
      return;
    }
    // Pages of 100 bodies of up to 64 KB, a hundred times over: the body is made JSON once, not
    // once a comment (that alone cost the suite over a second of CPU).
    const body = JSON.stringify(endless.body);
    const comments = ids.map((id) => {
      const { body: _body, ...rest } = this.#endlessComment(issueNumber, id, endless);
      return `${JSON.stringify(rest).slice(0, -1)},"body":${body}}`;
    });
    this.send(res, 200, `[${comments.join(',')}]`, { 'content-type': this.jsonContentType, ...headers });
  }
}

/** Start a fake GitHub REST API on 127.0.0.1 (random port). */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return new FakeGitHub(options).listen();
}
