// The release workflow's checks and decisions, pure so they are tested (test/release.test.ts).
import { githubRepository } from '../src/schema-url.js';

/** `vX.Y.Z`, the only tags the release workflow releases. */
export const RELEASE_TAG = /^v(\d+)\.(\d+)\.(\d+)$/;

export interface ReleaseInput {
  /** The pushed tag, e.g. v1.2.3. */
  tag: string;
  /** "owner/name" of the repository being released (GITHUB_REPOSITORY). */
  repository: string;
  packageJson: { name: string; version: string; repository?: { url?: string } | string };
  changelog: string;
  /** README.md, whose install command must name this release's tarball. */
  readme: string;
}

/** What is wrong with releasing this tag (empty when it may be released), and its notes. */
export function checkRelease({ tag, repository, packageJson, changelog, readme }: ReleaseInput): { problems: string[]; notes: string } {
  const problems: string[] = [];
  if (!RELEASE_TAG.test(tag)) problems.push(`${tag} is not a release tag: releases are tagged vX.Y.Z, e.g. v1.2.3.`);
  const version = tag.replace(/^v/, '');
  if (packageJson.version !== version) {
    problems.push(
      `package.json's version is ${packageJson.version}, not ${version}: set it with "npm version ${version} --no-git-tag-version", merge, and tag that commit.`,
    );
  }
  const url = typeof packageJson.repository === 'string' ? packageJson.repository : (packageJson.repository?.url ?? '');
  if (githubRepository(url)?.toLowerCase() !== repository.toLowerCase()) {
    problems.push(
      `package.json's repository is ${JSON.stringify(url)}, not ${repository}: the "$schema" URL and the install command are built from it. Set it to git+https://github.com/${repository}.git.`,
    );
  }
  const section = changelogSection(changelog, version);
  if (section === undefined) {
    problems.push(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: move the entries under [Unreleased] into one.`);
  } else {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(section.date)) problems.push(`CHANGELOG.md's section for ${version} has no release date ("## [${version}] - YYYY-MM-DD").`);
    if (section.body === '') problems.push(`CHANGELOG.md's section for ${version} is empty: say what the release changes.`);
  }
  // The README tells users to install the file this release attaches: a stale URL installs an older one.
  const install = `npm install --save-dev ${tarballUrl(repository, { name: packageJson.name, version })}`;
  if (!readme.split('\n').some((line) => line === install || line.startsWith(`${install} `))) {
    problems.push(`README.md's install command does not name this release's file: set it to ${install}`);
  }
  return { problems, notes: section?.body ?? '' };
}

/** The file `npm pack` writes: name-version.tgz, a scoped name without its @ and with - for its /. */
export function tarballName(packageJson: { name: string; version: string }): string {
  return `${packageJson.name.replace(/^@/, '').replace('/', '-')}-${packageJson.version}.tgz`;
}

/**
 * Where users install the command line from: the tarball attached to the release. It never
 * changes once published, and npm installs it with no prepare step and no dev dependencies.
 */
export function tarballUrl(repository: string, packageJson: { name: string; version: string }): string {
  return `https://github.com/${repository}/releases/download/v${packageJson.version}/${tarballName(packageJson)}`;
}

/** The section of a Keep a Changelog file for one version: its date and its text. */
export function changelogSection(changelog: string, version: string): { date: string; body: string } | undefined {
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const escaped = version.replace(/\./g, '\\.');
  const start = lines.findIndex((line) => new RegExp(`^## \\[${escaped}\\]`).test(line));
  if (start === -1) return undefined;
  const date = /^## \[[^\]]+\]\s*-\s*(\S+)/.exec(lines[start] ?? '')?.[1] ?? '';
  const rest = lines.slice(start + 1);
  // The section ends at the next version's heading, or at the link definitions at the bottom.
  const end = rest.findIndex((line) => /^## /.test(line) || /^\[[^\]]+\]:\s/.test(line));
  const body = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim();
  return { date, body };
}

/**
 * The major tag (`v1`) to move to this release, or undefined when the release is not the newest
 * of its major version (a fix to an older 1.x line must not move `v1` backwards).
 */
export function majorTagToMove(tag: string, existingTags: readonly string[]): string | undefined {
  const release = RELEASE_TAG.exec(tag);
  if (!release) return undefined;
  const major = release[1];
  const key = (match: RegExpExecArray) => [Number(match[1]), Number(match[2]), Number(match[3])] as const;
  const [, minor, patch] = key(release);
  for (const other of existingTags) {
    const match = RELEASE_TAG.exec(other.trim());
    if (!match || match[1] !== major) continue;
    const [, otherMinor, otherPatch] = key(match);
    if (otherMinor > minor || (otherMinor === minor && otherPatch > patch)) return undefined;
  }
  return `v${major}`;
}
