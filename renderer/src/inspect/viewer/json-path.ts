/**
 * Where in a JSON document a position is, as a path of keys and array indexes, read
 * from CodeMirror's lezer syntax tree for JSON ("Copy path", "Chart this value").
 * Works on the tree alone (no view, no DOM), so it is tested in Node.
 */
import type { SyntaxNode, Tree } from '@lezer/common';

/** Keys and array indexes from the top, e.g. ["sensors", 2, "temp"]. */
export type JsonPath = (string | number)[];

/** What the caret is on: the field's path (JSON only) and, when it is a number, that number. */
export interface CursorField {
  path: JsonPath | null;
  number: { path: JsonPath; value: number } | null;
}

/** The part of a document the path reader needs: CodeMirror's `Text` has it. */
export interface DocumentText {
  sliceString(from: number, to: number): string;
}

const VALUE_NODES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);
/** On a bracket, the path is the container's. */
const BRACKETS = new Set(['{', '}', '[', ']']);

/** The value or key at `pos`: the token there, or the one just before it (a click at a token's end). */
function nodeAt(tree: Tree, pos: number): SyntaxNode {
  const isToken = (node: SyntaxNode): boolean => VALUE_NODES.has(node.name) || node.name === 'PropertyName';
  const after = tree.resolveInner(pos, 1);
  if (isToken(after) || BRACKETS.has(after.name)) return after;
  const before = tree.resolveInner(pos, -1);
  return isToken(before) ? before : after;
}

function keyOf(property: SyntaxNode, doc: DocumentText): string | null {
  const name = property.getChild('PropertyName');
  if (!name) return null;
  const raw = doc.sliceString(name.from, name.to);
  try {
    return JSON.parse(raw) as string;
  } catch {
    // An unfinished key while the tree is incomplete: its text without the quotes.
    return raw.replace(/^"|"$/g, '');
  }
}

/** The index of `value` among its array's values. */
function indexIn(array: SyntaxNode, value: SyntaxNode): number {
  let index = 0;
  for (let child = array.firstChild; child; child = child.nextSibling) {
    if (child.from >= value.from) break;
    if (VALUE_NODES.has(child.name)) index++;
  }
  return index;
}

/** The path of the value (or key) at `pos`; the top value's path is []. Null outside any value. */
export function jsonPathAt(tree: Tree, doc: DocumentText, pos: number): JsonPath | null {
  let node: SyntaxNode | null = nodeAt(tree, pos);
  // Inside a value or key: climb to the innermost of them.
  while (node && !VALUE_NODES.has(node.name) && node.name !== 'PropertyName') {
    if (node.name === 'JsonText') return null;
    node = node.parent;
  }
  if (!node) return null;
  const path: JsonPath = [];
  for (let current: SyntaxNode = node, parent = node.parent; parent; current = parent, parent = parent.parent) {
    if (parent.name === 'Property') {
      const key = keyOf(parent, doc);
      if (key === null) return null;
      path.push(key);
    } else if (parent.name === 'Array' && VALUE_NODES.has(current.name)) {
      path.push(indexIn(parent, current));
    }
  }
  return path.reverse();
}

/** The number at `pos` with its path, when `pos` is on a number token. */
export function numberAt(tree: Tree, doc: DocumentText, pos: number): { path: JsonPath; value: number } | null {
  const node = nodeAt(tree, pos);
  if (node.name !== 'Number') return null;
  const path = jsonPathAt(tree, doc, pos);
  const value = Number(doc.sliceString(node.from, node.to));
  return path && Number.isFinite(value) ? { path, value } : null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A path as users write it: `$.sensors[2].temp`, `$["a key"]`. */
export function formatJsonPath(path: JsonPath): string {
  let out = '$';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += IDENTIFIER.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return out;
}
