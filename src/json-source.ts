import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** 1-based line and column, as editors and GitHub annotations count them. */
export interface Position {
  line: number;
  column: number;
}

export interface SyntaxProblem extends Position {
  message: string;
}

/** Deeper than any desired-state file needs; refusing early keeps the parser's recursion safe. */
const MAX_DEPTH = 32;

/**
 * A JSON text parsed into a tree that remembers where every key and value stands, so each
 * problem can be reported at its line and column. Strict JSON: no comments, no trailing commas.
 */
export class JsonSource {
  readonly text: string;
  readonly #lineStarts: number[];
  readonly root: Node | undefined;
  readonly syntaxProblems: SyntaxProblem[];

  constructor(text: string) {
    this.text = text;
    this.#lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
    const tooDeep = this.#findTooDeep();
    if (tooDeep !== undefined) {
      this.root = undefined;
      this.syntaxProblems = [
        { ...this.position(tooDeep), message: `nests deeper than ${MAX_DEPTH} levels; a desired-state file is at most 3 levels deep` },
      ];
      return;
    }
    const errors: ParseError[] = [];
    this.root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    this.syntaxProblems = this.#describe(errors);
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

  /** The node of the value at a path, or undefined. */
  node(path: readonly (string | number)[]): Node | undefined {
    return this.root ? findNodeAtLocation(this.root, [...path]) : undefined;
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

  #findTooDeep(): number | undefined {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < this.text.length; i++) {
      const char = this.text[i];
      if (inString) {
        if (char === '\\') i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{' || char === '[') {
        if (++depth > MAX_DEPTH) return i;
      } else if (char === '}' || char === ']') depth--;
    }
    return undefined;
  }

  #describe(errors: ParseError[]): SyntaxProblem[] {
    const problems: SyntaxProblem[] = [];
    for (const error of errors) {
      const message = this.#message(error);
      const offset = message.offset ?? error.offset;
      const position = this.position(offset);
      // The parser recovers and may report the same spot twice; once is enough.
      if (problems.some((p) => p.line === position.line && p.column === position.column)) continue;
      problems.push({ ...position, message: message.text });
    }
    return problems;
  }

  #message(error: ParseError): { text: string; offset?: number } {
    const found = this.text.slice(error.offset, error.offset + Math.max(error.length, 1));
    const shown = found.length > 0 ? JSON.stringify(found.slice(0, 20)) : 'the end of the file';
    const before = this.#previousSignificant(error.offset);
    if ((found.startsWith('}') || found.startsWith(']')) && before !== undefined && this.text[before] === ',') {
      return { text: 'trailing comma: JSON allows no comma after the last item; remove it', offset: before };
    }
    switch (printParseErrorCode(error.error)) {
      case 'InvalidCommentToken':
      case 'UnexpectedEndOfComment':
        return { text: 'comments are not allowed in JSON; remove the comment' };
      case 'InvalidSymbol':
        if (found.startsWith("'")) return { text: 'strings and keys must use double quotes ("), not single quotes' };
        return { text: `unexpected ${shown}; expected a JSON value (a string in double quotes, a number, true, false, an object or an array)` };
      case 'InvalidNumberFormat':
        return { text: `invalid number ${shown}` };
      case 'PropertyNameExpected':
        return { text: `expected a key in double quotes, found ${shown}` };
      case 'ValueExpected':
        return { text: `expected a value, found ${shown}` };
      case 'ColonExpected':
        return { text: `expected ":" after the key, found ${shown}` };
      case 'CommaExpected':
        return { text: `expected "," between items, found ${shown}; is a comma missing at the end of the previous line?` };
      case 'CloseBraceExpected':
        return { text: `expected "}" to close the object, found ${shown}` };
      case 'CloseBracketExpected':
        return { text: `expected "]" to close the array, found ${shown}` };
      case 'EndOfFileExpected':
        return { text: `unexpected ${shown} after the end of the JSON value; a file holds exactly one object` };
      case 'UnexpectedEndOfString':
        return { text: 'a string is not closed: a double quote (") is missing' };
      case 'UnexpectedEndOfNumber':
        return { text: `a number is cut short: ${shown}` };
      case 'InvalidUnicode':
        return { text: 'invalid \\u escape in a string: it needs four hexadecimal digits' };
      case 'InvalidEscapeCharacter':
        return { text: 'invalid escape in a string: a backslash must be followed by one of " \\ / b f n r t u' };
      case 'InvalidCharacter':
        return { text: 'a control character (such as a raw tab or line break) inside a string; escape it (\\t, \\n)' };
      default:
        return { text: `invalid JSON near ${shown}` };
    }
  }

  #previousSignificant(offset: number): number | undefined {
    for (let i = offset - 1; i >= 0; i--) if (!/\s/.test(this.text[i] ?? '')) return i;
    return undefined;
  }
}
