import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/json-depth.js';

describe('how deep a JSON text nests', () => {
  it('counts objects and lists inside one another, up to the limit and past it', () => {
    expect(nestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a": {"b": [1]}}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a": {"b": [{}]}}', 3)).toBe(true);
    expect(nestsDeeperThan('[1], [2], [3], [4]', 1)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan('["[[[[[[", "\\\\", "\\"[[[[["]', 1)).toBe(false);
    expect(nestsDeeperThan(`{"x": "${'{'.repeat(100)}"}`, 2)).toBe(false);
  });

  it('reads text of any depth without recursion', () => {
    expect(nestsDeeperThan('['.repeat(1_000_000), 64)).toBe(true);
  });
});
