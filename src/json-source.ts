import { findNodeAtLocation, getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { MAX_DEPTH, findTooDeep } from './json-scan.js';
import { SyntaxMessages } from './json-syntax.js';

/** 1-based line and column, as editors and GitHub annotations count them. */
export interface Position {
  line: number;
  column: number;
}

export interface SyntaxProblem extends Position {
  message: string;
}

export interface JsonSourceOptions {
  /** Which keys hold secrets: a syntax message never quotes the text of their value. */
  isSecretKey?: (key: string) => boolean;
  /** Cleans text a syntax message quotes, before it is cut (the run's Redactor). */
  scrub?: (text: string) => string;
}

/**
 * A JSON text parsed into a tree that remembers where every key and value stands, so each
 * problem can be reported at its line and column. Strict JSON: no comments, no trailing commas.
 */
export class JsonSource {
  readonly text: string;
  readonly #lineStarts: number[];
  readonly root: Node | undefined;
  readonly syntaxProblems: SyntaxProblem[];

  constructor(text: string, options: JsonSourceOptions = {}) {
    this.text = text;
    this.#lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
    const tooDeep = findTooDeep(text);
    if (tooDeep !== undefined) {
      this.root = undefined;
      this.syntaxProblems = [
        { ...this.position(tooDeep), message: `the JSON nests deeper than ${MAX_DEPTH} levels here; a desired-state file is at most 3 levels deep` },
      ];
      return;
    }
    const errors: ParseError[] = [];
    this.root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    this.syntaxProblems = new SyntaxMessages(text, this.root, (offset) => this.position(offset), options.isSecretKey ?? (() => false), options.scrub).describe(
      errors,
    );
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.#lineStarts[low] ?? 0) + 1 };
  }

  value(): unknown {
    return this.root ? getNodeValue(this.root) : undefined;
  }

  /**
   * The node of the value at a path, or undefined. Where a key is repeated, the last one: that is
   * the value JSON.parse (and so the validation) keeps.
   */
  node(path: readonly (string | number)[]): Node | undefined {
    let node = this.root;
    for (const segment of path) {
      if (node === undefined) return undefined;
      if (typeof segment === 'number') {
        node = findNodeAtLocation(node, [segment]);
        continue;
      }
      if (node.type !== 'object') return undefined;
      node = node.children?.findLast((property) => property.children?.length === 2 && property.children[0]?.value === segment)?.children?.[1];
    }
    return node;
  }

  /**
   * Where to point for a problem at a path: the key of the property (what a reader looks for),
   * or the nearest enclosing key that exists.
   */
  locate(path: readonly (string | number)[]): Position {
    for (let depth = path.length; depth > 0; depth--) {
      const node = this.node(path.slice(0, depth));
      if (node) return this.position(node.parent?.type === 'property' ? node.parent.offset : node.offset);
    }
    return this.root ? this.position(this.root.offset) : { line: 1, column: 1 };
  }

  /** Where the key of a property in the object at `objectPath` stands (the first one, if repeated). */
  locateKey(objectPath: readonly (string | number)[], key: string): Position {
    const object = objectPath.length === 0 ? this.root : this.node(objectPath);
    const property = object?.children?.find((child) => child.children?.[0]?.value === key);
    return property ? this.position(property.offset) : this.locate(objectPath);
  }

  /** The raw text of a value, e.g. `1e3` for a number written that way. */
  raw(node: Node): string {
    return this.text.slice(node.offset, node.offset + node.length);
  }

  /** Keys that stand more than once in one object: JSON.parse would silently keep the last. */
  duplicateKeys(): Array<{ path: string[]; key: string; first: Position; again: Position }> {
    const found: Array<{ path: string[]; key: string; first: Position; again: Position }> = [];
    const walk = (node: Node, path: string[]) => {
      if (node.type === 'object') {
        const seen = new Map<string, Node>();
        for (const property of node.children ?? []) {
          const keyNode = property.children?.[0];
          const valueNode = property.children?.[1];
          if (!keyNode || typeof keyNode.value !== 'string') continue;
          const key = keyNode.value;
          const first = seen.get(key);
          if (first) found.push({ path, key, first: this.position(first.offset), again: this.position(property.offset) });
          else seen.set(key, property);
          if (valueNode) walk(valueNode, [...path, key]);
        }
      } else if (node.type === 'array') {
        for (const [index, child] of (node.children ?? []).entries()) walk(child, [...path, String(index)]);
      }
    };
    if (this.root) walk(this.root, []);
    return found;
  }
}
