import packageJson from '../package.json' with { type: 'json' };

/**
 * Where a desired-state file's "$schema" points: the JSON Schema as released in this repository,
 * at the tag of this major version (the tag a workflow's `uses: OWNER/REPO@v1` follows). One rule
 * for export, the examples and the README; it resolves from any settings repository, with
 * nothing installed. The repository is package.json's "repository" (the release workflow checks
 * it names the repository being released).
 */
export const SCHEMA_URL = schemaUrl(packageJson.repository.url, packageJson.version);

/** "owner/name" of a GitHub repository URL ("git+https://github.com/owner/name.git"), or undefined. */
export function githubRepository(url: string): string | undefined {
  return /^(?:git\+)?https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url)?.[1];
}

export function schemaUrl(repositoryUrl: string, version: string): string {
  // A test checks package.json's URL parses; were it not to, the URL shows it rather than guessing.
  const repository = githubRepository(repositoryUrl) ?? 'package.json-repository-is-not-on-github';
  return `https://raw.githubusercontent.com/${repository}/v${version.split('.')[0] ?? ''}/schema/leadconduit-account.schema.json`;
}
