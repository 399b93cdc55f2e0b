/**
 * Joint decoding of fields linked by parent choices (issue type -> sub-issue type; board -> type -> subtype -> item).
 *
 * The fields form a forest. Each tree's joint distribution is proportional to the product of the per-field
 * probabilities, restricted to assignments where every child choice's `parent` is its parent field's chosen value
 * (a child choice without a parent is compatible with every parent value). Sum-product gives exact marginals: a
 * field's confidence is the marginal of its chosen value. A message is O(#parent + #child) thanks to grouping child
 * choices by parent.
 *
 * Values are chosen top-down by marginals: each root takes its highest-marginal value; then each child takes, among
 * its values compatible with the value already chosen for its parent, the one with the highest marginal; and so on
 * down. Why not the MAP assignment (max-product)? MAP can pick a parent value whose marginal is lower than one of its
 * alternatives (A holds 0.72 spread over three children, yet the single best pair is B-b1 at 0.28): the reported
 * value then looks less likely than an alternative shown next to it, and the parent field is right less often than
 * its argmax would be. Top-down, a root is always its argmax marginal, so it never shows a lower confidence than its
 * alternatives; and every child is still valid under its chosen parent.
 *
 * A child choice with a specific parent value has the same marginal as its joint with that value, so among the
 * choices of one parent value the marginal ranks them exactly like the conditional given the chosen parent (which,
 * in a tree, is the conditional given all chosen ancestors). A parent-less choice also collects mass from the other
 * parent values, so the marginal may rank it above a choice that is more likely given the chosen parent; it is
 * ranked by marginal anyway, since that is the confidence reported and the chance that the field is right. Only a
 * root is guaranteed to be its field's overall argmax: a child's best alternative may belong to another parent value
 * and have a higher marginal than the chosen child.
 *
 * Every chosen value has a positive marginal, hence a positive-weight completion below it, so the decoded
 * assignment as a whole has positive probability. Ties go to the first candidate in order.
 */
import type { Candidate } from './decode-choices';

/** A predictable field: `parentField` may name a field that is not a node (then this node is a root). */
export interface TreeField {
  field: string;
  parentField: string | null;
  candidates: Candidate[];
}

export type TreeDecode =
  | { ok: true; /** Index of the chosen candidate. */ chosen: number; marginals: number[] }
  | { ok: false; reason: string };

interface Node {
  field: string;
  cands: Candidate[];
  index: Map<string, number>;
  parent: Node | null;
  children: Node[];
  /** Sum-product message to the parent, over the parent's candidates; filled on the upward pass. */
  up: number[];
}

/** Thrown inside one pass when a child cannot be attached; the pass restarts without that field. */
class Detach {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

/** Rescale so the largest entry is 1: long chains of products then never underflow to all zeros. */
function rescale(xs: number[]): number[] {
  let max = 0;
  for (const x of xs) if (x > max) max = x;
  return max > 0 ? xs.map((x) => x / max) : xs;
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function multiplyInto(target: number[], by: number[]): void {
  for (let i = 0; i < target.length; i++) target[i] *= by[i];
}

/** Sum-product message from `child` (with belief `b` over its candidates) to its parent, over compatible choices. */
function messageToParent(child: Node, parent: Node, b: number[]): number[] {
  let any = 0;
  const sum = new Array<number>(parent.cands.length).fill(0);
  child.cands.forEach((c, i) => {
    if (c.parent === null) {
      any += b[i];
      return;
    }
    const j = parent.index.get(c.parent);
    // A child choice whose parent value is not a candidate cannot be part of any allowed assignment.
    if (j === undefined) return;
    sum[j] += b[i];
  });
  return sum.map((s) => s + any);
}

/** Upward pass: fills `up`; throws Detach for the first child that cannot be attached. */
function upward(node: Node): void {
  const phi = node.cands.map((c) => c.p);
  let belief = phi.slice();
  for (const child of node.children) {
    upward(child);
    if (dot(belief, child.up) > 0) {
      belief = rescale(belief.map((x, i) => x * child.up[i]));
      continue;
    }
    const reason =
      dot(phi, child.up) === 0
        ? `none of the choices of "${child.field}" that the model knows belong to an allowed "${node.field}" value that the model knows`
        : `the choices of "${child.field}" that the model knows cannot be combined with those of the other fields under "${node.field}"`;
    throw new Detach(child.field, reason);
  }
  if (node.parent) node.up = rescale(messageToParent(node, node.parent, belief));
}

/** Downward pass: exact marginals of every node of the tree, given the message `outside` from above. */
function downward(node: Node, outside: number[], out: Map<string, number[]>): void {
  const phiOut = node.cands.map((c, i) => c.p * outside[i]);
  const full = phiOut.slice();
  for (const child of node.children) multiplyInto(full, child.up);
  const z = full.reduce((s, x) => s + x, 0);
  out.set(
    node.field,
    full.map((x) => (z > 0 ? x / z : 0)),
  );
  for (const child of node.children) {
    // What the parent knows without this child: its own factor, what came from above and the other children.
    const q = phiOut.slice();
    for (const other of node.children) if (other !== child) multiplyInto(q, other.up);
    const total = q.reduce((s, x) => s + x, 0);
    const toChild = child.cands.map((c) => {
      if (c.parent === null) return total;
      const j = node.index.get(c.parent);
      return j === undefined ? 0 : q[j];
    });
    downward(child, rescale(toChild), out);
  }
}

function argmax(xs: number[], allowed: (i: number) => boolean): number {
  let best = -1;
  for (let i = 0; i < xs.length; i++) if (allowed(i) && (best < 0 || xs[i] > xs[best])) best = i;
  return best;
}

/**
 * Top-down choice: the highest-marginal value of `node` among those compatible with its parent's chosen value
 * (`parentValue` null: a root, every value allowed), then the same for each child under the value chosen here.
 * The pick always has a positive marginal: the parent's chosen value has one, so some compatible child value does.
 */
function chooseTopDown(
  node: Node,
  parentValue: string | null,
  marginals: Map<string, number[]>,
  out: Map<string, number>,
): void {
  const i = argmax(marginals.get(node.field)!, (k) => {
    const p = node.cands[k].parent;
    return parentValue === null || p === null || p === parentValue;
  });
  out.set(node.field, i);
  for (const child of node.children) chooseTopDown(child, node.cands[i].value, marginals, out);
}

/** Links nodes to their parents, breaking any cycle (a misconfigured schema) at its first field in schema order. */
function buildForest(fields: TreeField[]): Node[] {
  const nodes = fields.map<Node>((f) => ({
    field: f.field,
    cands: f.candidates,
    index: new Map(f.candidates.map((c, i) => [c.value, i])),
    parent: null,
    children: [],
    up: [],
  }));
  const byField = new Map(nodes.map((n) => [n.field, n]));
  fields.forEach((f, i) => {
    const parent = f.parentField ? byField.get(f.parentField) : undefined;
    if (parent && parent !== nodes[i]) nodes[i].parent = parent;
  });
  for (const node of nodes) {
    const seen = new Set<Node>([node]);
    for (let p = node.parent; p; p = p.parent) {
      if (p === node) {
        node.parent = null;
        break;
      }
      if (seen.has(p)) break; // a cycle above us: broken when its own first member is visited
      seen.add(p);
    }
  }
  for (const node of nodes) node.parent?.children.push(node);
  return nodes;
}

/**
 * Decodes every tree of the forest jointly. A child that has no compatible candidate under any candidate of its
 * parent is reported with a reason and left out; its own children are then decoded as roots of their own trees.
 */
export function decodeForest(fields: TreeField[]): Map<string, TreeDecode> {
  const detached = new Map<string, string>();
  for (;;) {
    const nodes = buildForest(fields.filter((f) => !detached.has(f.field)));
    const roots = nodes.filter((n) => !n.parent);
    try {
      for (const root of roots) upward(root);
    } catch (e) {
      if (!(e instanceof Detach)) throw e;
      // Each restart removes one field, so this loop runs at most once per field.
      detached.set(e.field, e.reason);
      continue;
    }
    const marginals = new Map<string, number[]>();
    const choice = new Map<string, number>();
    for (const root of roots) {
      downward(root, new Array<number>(root.cands.length).fill(1), marginals);
      chooseTopDown(root, null, marginals, choice);
    }
    const out = new Map<string, TreeDecode>();
    for (const f of fields) {
      const reason = detached.get(f.field);
      out.set(
        f.field,
        reason !== undefined
          ? { ok: false, reason }
          : { ok: true, chosen: choice.get(f.field)!, marginals: marginals.get(f.field)! },
      );
    }
    return out;
  }
}
