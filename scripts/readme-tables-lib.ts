import { parse } from 'yaml';

interface ActionYaml {
  inputs?: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
}

const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** README.md with the text between the inputs/outputs markers replaced by tables from action.yml. */
export function renderReadmeTables(actionYml: string, readme: string): string {
  const action = parse(actionYml) as ActionYaml;
  const inputs = [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs ?? {}).map(([name, input]) => {
      const value = input.default ?? '';
      return `| \`${name}\` | \`${value === '' ? "''" : cell(String(value))}\` | ${cell(input.description ?? '')} |`;
    }),
  ].join('\n');
  const outputs = [
    '| Output | Description |',
    '| --- | --- |',
    ...Object.entries(action.outputs ?? {}).map(([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`),
  ].join('\n');
  return replaceBetween(replaceBetween(readme, 'inputs', inputs), 'outputs', outputs);
}

function replaceBetween(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}
