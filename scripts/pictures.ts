// npm run pictures: regenerates the README's pictures of the plan comment and the job summary.
// It runs the action on a pull request against the loopback fakes (scripts/pictures-lib.ts), saves
// the Markdown it wrote in docs/pictures/*.md, and screenshots each, rendered as on GitHub, into
// docs/pictures/*.png with headless Chromium (install it and an emoji font first, e.g. on Debian
// `apt-get install chromium fonts-noto-color-emoji fonts-liberation2`; or set CHROMIUM to a Chrome
// or Chromium binary). Each PNG records the SHA-256 of its Markdown; test/pictures.test.ts fails when
// the Markdown the action writes, or a picture, no longer matches.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../test/support/action-env.js';
import {
  type Picture,
  PAGE_WIDTH,
  PICTURES,
  SCALE,
  PICTURES_DIR,
  SOURCE_KEY,
  markdownPath,
  pictureMarkdown,
  picturePage,
  pngPath,
  sha256,
  withPngText,
} from './pictures-lib.js';

function findChromium(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  console.error(
    'npm run pictures needs Chromium: install it (Debian: apt-get install chromium fonts-noto-color-emoji fonts-liberation2) or set CHROMIUM to its path.',
  );
  process.exit(1);
}

/** Runs headless Chromium with a fresh profile, removed after; the pages it opens fetch nothing. */
function chromium(binary: string, args: readonly string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'pictures-chromium-'));
  try {
    const result = spawnSync(
      binary,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        '--force-color-profile=srgb',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.status !== 0)
      throw new Error(`${binary} failed (${result.error?.message ?? `exit code ${result.status}`})${result.stderr ? `:\n${result.stderr}` : ''}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const binary = findChromium();
const markdown = await pictureMarkdown();
const work = mkdtempSync(join(tmpdir(), 'pictures-'));
try {
  // Every picture is made before any file is written: a failure leaves docs/pictures as it was.
  const pngs = new Map<Picture, Buffer>();
  for (const picture of PICTURES) {
    const page = join(work, `${picture}.html`);
    // First the page's height at this width (the page measures itself), then a screenshot of exactly that.
    const measure = `<script>document.documentElement.dataset.height = String(Math.ceil(document.body.getBoundingClientRect().height));</script>`;
    writeFileSync(page, picturePage(picture, markdown[picture]).replace('</body>', `${measure}</body>`));
    const dom = chromium(binary, [`--force-device-scale-factor=${SCALE}`, `--window-size=${PAGE_WIDTH},600`, '--dump-dom', pathToFileURL(page).href]);
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
    if (!(height > 0)) throw new Error(`Could not measure the ${picture} page:\n${dom.slice(0, 500)}`);

    writeFileSync(page, picturePage(picture, markdown[picture]));
    const shot = join(work, `${picture}.png`);
    chromium(binary, [`--force-device-scale-factor=${SCALE}`, `--window-size=${PAGE_WIDTH},${height}`, `--screenshot=${shot}`, pathToFileURL(page).href]);
    pngs.set(picture, withPngText(readFileSync(shot), SOURCE_KEY, sha256(markdown[picture])));
    console.log(`${pngPath(picture)}: ${PAGE_WIDTH}×${height} CSS pixels`);
  }
  mkdirSync(join(ROOT, PICTURES_DIR), { recursive: true });
  for (const [picture, png] of pngs) {
    writeFileSync(join(ROOT, pngPath(picture)), png);
    writeFileSync(join(ROOT, markdownPath(picture)), markdown[picture]);
  }
  console.log(`Written: ${PICTURES.flatMap((picture) => [markdownPath(picture), pngPath(picture)]).join(', ')}`);
} catch (error) {
  // A failure of the tools, not of the code: its message, without a stack trace.
  console.error(`npm run pictures: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
