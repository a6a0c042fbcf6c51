/** "1 change", "3 changes": one counting style for every message, summary and comment. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
