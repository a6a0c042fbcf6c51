/**
 * The README's pictures show what the action writes today: the Markdown they were made from is
 * regenerated here the way `npm run pictures` makes it, and each PNG records the Markdown it
 * shows. No browser runs here (CI has none); the script needs one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIXED_TIME,
  PAGE_WIDTH,
  PICTURES,
  PICTURE_SCOPE,
  SCALE,
  SOURCE_KEY,
  markdownPath,
  normalise,
  pictureMarkdown,
  picturePage,
  pngPath,
  readPng,
  sha256,
  withPngText,
} from '../scripts/pictures-lib.js';
import { readRecord, signingKey } from '../src/reviewed-plan.js';
import { ROOT } from './support/action-env.js';
import { SECRET_VALUES, TEST_API_KEY } from './support/sample-account.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const REGENERATE = 'the README pictures are out of date: run `npm run pictures` (needs Chromium) and commit docs/pictures';

describe('the README pictures of the plan comment and the job summary', () => {
  it('were made from the Markdown the action writes now', async () => {
    const markdown = await pictureMarkdown();
    for (const picture of PICTURES) expect(markdown[picture], `${markdownPath(picture)}: ${REGENERATE}`).toBe(read(markdownPath(picture)));
  });

  it('are PNGs of a rendered page, each made from its committed Markdown', () => {
    for (const picture of PICTURES) {
      const png = readFileSync(join(ROOT, pngPath(picture)));
      const { width, height, text } = readPng(png);
      expect(width, pngPath(picture)).toBe(PAGE_WIDTH * SCALE);
      expect(height, pngPath(picture)).toBeGreaterThan(300 * SCALE);
      expect(png.length, pngPath(picture)).toBeGreaterThan(20_000);
      expect(text[SOURCE_KEY], `${pngPath(picture)} shows other Markdown than ${markdownPath(picture)}: ${REGENERATE}`).toBe(
        sha256(read(markdownPath(picture))),
      );
    }
  });

  it('show a plan with a destructive change, a reverted live edit and a plain change, and nothing of the run that made them', () => {
    for (const picture of PICTURES) {
      const markdown = read(markdownPath(picture));
      expect(markdown).toContain('Plan: 4 changes, 1 destructive');
      expect(markdown).toContain('Live edits this merge will revert (1)');
      expect(markdown).toContain('Changes in this pull request (3)');
      expect(markdown).not.toMatch(/127\.0\.0\.1|localhost/);
      for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(markdown).not.toContain(secret);
    }
    // The comment is one the apply would accept: its record verifies for the text it shows.
    const record = readRecord(read(markdownPath('comment')), PICTURE_SCOPE, 'github-actions[bot]', signingKey(TEST_API_KEY));
    expect(record).toMatchObject({ status: 'verified', edited: false });
    expect(read(markdownPath('comment'))).toContain(`updated ${FIXED_TIME.slice(0, 10)} ${FIXED_TIME.slice(11, 16)} UTC`);
  });

  it('are in the README, each next to a link to its Markdown', () => {
    const readme = read('README.md');
    for (const picture of PICTURES) {
      expect(readme).toContain(`](${pngPath(picture)})`);
      expect(readme).toContain(`](${markdownPath(picture)})`);
    }
  });
});

describe('making the pictures', () => {
  it("fixes what varies from run to run (the fakes' address, the times of the run), and only that", () => {
    const started = Date.parse('2031-01-02T03:04:05.600Z');
    const text =
      'API <code>http://127.0.0.1:4711</code> · updated 2031-01-02T03:04:05Z · done 2031-01-02T03:04:06.250Z · at 2031-01-02 03:04 UTC · truncated 2023-11-07T05:31:56Z · at 2023-11-07 05:31 UTC · http://127.0.0.1:47110';
    expect(normalise(text, ['http://127.0.0.1:4711/'], started, started + 500)).toBe(
      `API <code>https://app.leadconduit.com</code> · updated ${FIXED_TIME} · done ${FIXED_TIME} · at ${FIXED_TIME.slice(0, 10)} ${FIXED_TIME.slice(11, 16)} UTC · truncated 2023-11-07T05:31:56Z · at 2023-11-07 05:31 UTC · http://127.0.0.1:47110`,
    );
  });

  it('renders a page that loads nothing: the CSS is inlined, no image, script or stylesheet is fetched', () => {
    const page = picturePage(
      'comment',
      '### A <code>plan</code>\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n<details><summary>More</summary>\n\nhidden\n\n</details>\n',
    );
    expect(page).toContain('<table>');
    expect(page).toContain('<h3>A <code>plan</code></h3>');
    expect(page).toContain('.markdown-body');
    expect(page).not.toMatch(/<link|<img|<script|<iframe|@import|url\(\s*["']?(?:https?:)?\/\//i);
  });

  it('records in a PNG the Markdown it shows, and refuses what is not a PNG', () => {
    const png = readFileSync(join(ROOT, pngPath('summary')));
    const marked = withPngText(png, 'Test-Key', 'some value');
    expect(readPng(marked).text['Test-Key']).toBe('some value');
    expect(readPng(marked).width).toBe(readPng(png).width);
    expect(() => readPng(Buffer.from('# not a picture\n'))).toThrow('not a PNG');
    expect(() => readPng(marked.subarray(0, marked.length - 100))).toThrow('a PNG cut short');
    const flipped = Buffer.from(marked);
    flipped[100] = flipped[100]! ^ 0xff;
    expect(() => readPng(flipped)).toThrow('a corrupt PNG');
  });
});
