/**
 * The README's pictures of the plan comment and the job summary, made from the real Markdown the
 * action writes: `pictureMarkdown()` runs the action (src/main.ts run()) on a pull request against
 * the loopback fakes of LeadConduit and GitHub, and returns the comment GitHub received and the
 * job summary, made deterministic. `picturePage()` turns one of them into a self-contained HTML
 * page that looks like GitHub (marked with GFM, github-markdown-css inlined: the page loads
 * nothing). scripts/pictures.ts saves the Markdown and screenshots the pages in headless Chromium;
 * test/pictures.test.ts regenerates the Markdown with the same function and compares.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Marked } from 'marked';
import { DEFAULT_BASE_URL } from '../src/base-url.js';
import { type RecordScope, readRecord, recordMarker, signingKey } from '../src/reviewed-plan.js';
import { ROOT, pullRequestPayload, runInProcess } from '../test/support/action-env.js';
import { startFakeGitHub } from '../test/support/fake-github.js';
import { startFakeLeadConduit } from '../test/support/fake-leadconduit.js';
import { TEST_API_KEY } from '../test/support/sample-account.js';

export type Picture = 'comment' | 'summary';
export const PICTURES: readonly Picture[] = ['comment', 'summary'];
export const PICTURES_DIR = 'docs/pictures';
export const markdownPath = (picture: Picture) => `${PICTURES_DIR}/plan-${picture}.md`;
export const pngPath = (picture: Picture) => `${PICTURES_DIR}/plan-${picture}.png`;

/** The desired-state file of the pictures: the one in examples/, as a user would start. */
export const EXAMPLE_FILE = 'examples/leadconduit-account.json';
/**
 * The file on the pull request's base commit: real-time bidding was already on in it, so the live
 * `false` is an edit made in the UI that the merge reverts (the three-way plan). The pull request
 * itself lowers retention (destructive), turns the firehose on and activates "pro".
 */
export const BASE_FILE = { id: '5fd4371e940df5a34a3888b2', data_retention_in_days: 365, features: { real_time_bidding: true } };

const PR_NUMBER = 42;
/** Where the pictures' comment is: its record is signed for this pull request and file. */
export const PICTURE_SCOPE: RecordScope = { repository: 'acme/settings', pullRequest: PR_NUMBER, file: 'leadconduit-account.json' };
const BASE_SHA = '9d3c7a1f0b2e4d6c8a0f1e3b5d7c9a2e4f6b8d0c';
const HEAD_SHA = '4f2a9c1e7b3d5a8c0e2f4a6b8d1c3e5f7a9b0d2e';
const MERGE_SHA = 'a7e1c3f5b9d2e4a6c8f0b1d3e5a7c9f2b4d6e8a0';
/** Every time of the run shown in the Markdown (the comment's "updated ..."), fixed. */
export const FIXED_TIME = '2025-06-02T14:05:09Z';
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;
/** A time as a comment shows it (src/wording.ts formatTime). */
const SHOWN_TIME = /\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g;

/**
 * What varies from run to run, made fixed: the fakes' port (shown as the LeadConduit API in the
 * summary) becomes the default base URL, and any time stamped during the run becomes FIXED_TIME.
 * Times outside the run (the account's own, say) are data and stay as they are.
 */
export function normalise(markdown: string, fakeUrls: readonly string[], startedMs: number, endedMs: number): string {
  let text = markdown;
  for (const url of fakeUrls) {
    const origin = url.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    text = text.replace(new RegExp(`${origin}(?!\\d)`, 'g'), DEFAULT_BASE_URL);
  }
  const during = (time: number, slack: number) => time >= startedMs - slack && time <= endedMs + slack;
  return text
    .replace(ISO_TIME, (stamp) => (during(Date.parse(stamp), 1_000) ? FIXED_TIME : stamp))
    .replace(SHOWN_TIME, (stamp, day: string, minute: string) =>
      // Shown to the minute: a stamp may read up to a minute before the run started.
      during(Date.parse(`${day}T${minute}:00Z`), 60_000) ? `${FIXED_TIME.slice(0, 10)} ${FIXED_TIME.slice(11, 16)} UTC` : stamp,
    );
}

/**
 * The comment's signed record covers the text reviewers read, which holds the run's time: once
 * the time is fixed, the record is signed again the way the action signs it (the test key, the
 * same scope and author), so the picture's Markdown is a comment the apply would accept.
 */
function resign(original: string, normalised: string, scope: RecordScope, author: string): string {
  const key = signingKey(TEST_API_KEY);
  const record = readRecord(original, scope, author, key);
  if (record.status !== 'verified' || record.edited) throw new Error(`The plan comment for the pictures carries no valid record (${record.status}).`);
  const lines = normalised.split('\n');
  const at = lines.findIndex((line) => line.startsWith('<!-- leadconduit-account-action:record:'));
  lines[at] = recordMarker(record.changes, normalised, scope, author, key);
  const body = lines.join('\n');
  if (readRecord(body, scope, author, key).status !== 'verified') throw new Error('The re-signed record of the pictures does not verify.');
  return body;
}

/** The plan comment and job summary the action writes for EXAMPLE_FILE on a pull request. */
export async function pictureMarkdown(): Promise<Record<Picture, string>> {
  const leadconduit = await startFakeLeadConduit();
  const github = await startFakeGitHub();
  try {
    github.setFile(BASE_SHA, 'leadconduit-account.json', `${JSON.stringify(BASE_FILE, null, 2)}\n`);
    const payload = pullRequestPayload(PR_NUMBER) as { pull_request: { base: { sha: string }; head: { sha: string } } };
    payload.pull_request.base.sha = BASE_SHA;
    payload.pull_request.head.sha = HEAD_SHA;
    const startedMs = Date.now();
    const run = await runInProcess({
      file: readFileSync(join(ROOT, EXAMPLE_FILE), 'utf8'),
      event: 'pull_request',
      payload,
      sha: MERGE_SHA,
      leadconduitUrl: leadconduit.url,
      githubUrl: github.url,
    });
    const endedMs = Date.now();
    await run.cleanup();
    const comments = github.commentsOf(PR_NUMBER);
    if (run.exitCode !== 0 || comments.length !== 1) {
      throw new Error(`The plan for the pictures did not run as expected (exit code ${run.exitCode}, ${comments.length} comments):\n${run.stdout}`);
    }
    const fakes = [leadconduit.url, github.url];
    const comment = comments[0]!;
    return {
      comment: resign(comment.body, normalise(comment.body, fakes, startedMs, endedMs), PICTURE_SCOPE, comment.user.login),
      summary: normalise(run.summary, fakes, startedMs, endedMs),
    };
  } finally {
    await leadconduit.close();
    await github.close();
  }
}

/** The CSS width of the pages: about the width of a comment in a pull request's conversation. */
export const PAGE_WIDTH = 880;
/** Pixels per CSS pixel in the PNGs: sharp on high-density screens, shown at half size by the README. */
export const SCALE = 2;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The bot's avatar, drawn (the page loads no image): a blue circle with a "play" mark, like GitHub Actions'. */
const AVATAR = `<svg class="avatar" width="40" height="40" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="20" fill="#2088ff"/><path d="M16 12.5v15l12-7.5z" fill="#fff"/></svg>`;

const CHROME_CSS = `
  html { background: #fff; }
  body { margin: 0; padding: 16px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; font-size: 14px; color: #1f2328; }
  .comment { display: flex; gap: 16px; align-items: flex-start; }
  .avatar { flex: none; border-radius: 50%; }
  .box { flex: 1; min-width: 0; border: 1px solid #d1d9e0; border-radius: 6px; background: #fff; }
  .box-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; color: #59636e; }
  .box-header strong { color: #1f2328; }
  .label { display: inline-block; padding: 0 7px; margin: 0 2px; font-size: 12px; font-weight: 500; line-height: 18px; border: 1px solid #d1d9e0; border-radius: 2em; }
  .markdown-body { padding: 16px; font-size: 14px; }
  .summary .markdown-body { padding: 24px 32px; }
  .summary .box-header { padding: 16px 32px; background: #fff; font-size: 16px; font-weight: 600; color: #1f2328; }
`;

/**
 * A self-contained page (CSS inlined, nothing fetched) showing `markdown` as GitHub does: the
 * comment as in a pull request's conversation, the summary as on the run's page. GitHub renders
 * a comment's single line breaks as breaks; marked's `breaks` does the same.
 */
export function picturePage(picture: Picture, markdown: string): string {
  const css = readFileSync(join(ROOT, 'node_modules/github-markdown-css/github-markdown-light.css'), 'utf8');
  const html = new Marked({ gfm: true, breaks: picture === 'comment', async: false }).parse(markdown) as string;
  const body =
    picture === 'comment'
      ? `<div class="comment">${AVATAR}<div class="box"><div class="box-header"><strong>github-actions</strong> <span class="label">bot</span> commented</div><article class="markdown-body">${html}</article></div></div>`
      : `<div class="summary"><div class="box"><div class="box-header">leadconduit summary</div><article class="markdown-body">${html}</article></div></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`The plan ${picture}`)}</title>
<style>${css}</style><style>${CHROME_CSS}</style></head>
<body>${body}</body></html>
`;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The PNG text key that records which Markdown a picture was made from. */
export const SOURCE_KEY = 'Source-SHA256';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface PngInfo {
  width: number;
  height: number;
  text: Record<string, string>;
}

/** The size and tEXt entries of a PNG; throws when `png` is not one, or is cut short or corrupt. */
export function readPng(png: Buffer): PngInfo {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  const info: PngInfo = { width: png.readUInt32BE(16), height: png.readUInt32BE(20), text: {} };
  let at = 8;
  let type = '';
  while (type !== 'IEND') {
    if (at + 12 > png.length) throw new Error('a PNG cut short');
    const length = png.readUInt32BE(at);
    type = png.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > png.length) throw new Error('a PNG cut short');
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length)) throw new Error(`a corrupt PNG (chunk ${type})`);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      info.text[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    }
    at += 12 + length;
  }
  return info;
}

/** `png` with a tEXt chunk `key`=`value` (Latin-1) right after IHDR. */
export function withPngText(png: Buffer, key: string, value: string): Buffer {
  readPng(png);
  const data = Buffer.from(`${key}\0${value}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const afterHeader = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}
