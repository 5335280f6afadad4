// Operation limits checked before planning (issue #2 §7): document size, batch size, depth and
// alias count. Rejections carry extensions.code OPERATION_LIMIT_EXCEEDED and the limit hit.
import { Kind, type DocumentNode, type SelectionSetNode, type FragmentDefinitionNode, GraphQLError } from 'graphql';
import type { Config } from '@talos/kit';

export type Limits = Config['limits'];

export function limitError(message: string, limit: string, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'OPERATION_LIMIT_EXCEEDED', retryable: false, details: { limit, max }, http: { status: 400 } } });
}

/** Depth of the deepest field path (fragments expanded; cycles are invalid GraphQL and cut off). */
function measure(document: DocumentNode): { depth: number; aliases: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let aliases = 0;
  const countedFragments = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>, count: boolean): number => {
    if (!set) return depth;
    let max = depth;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (count && sel.alias) aliases++;
        max = Math.max(max, walk(sel.selectionSet, depth + 1, seen, count));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, walk(sel.selectionSet, depth, seen, count));
      } else {
        const name = sel.name.value;
        const frag = fragments.get(name);
        if (!frag || seen.has(name)) continue;
        const first = !countedFragments.has(name);
        countedFragments.add(name);
        max = Math.max(max, walk(frag.selectionSet, depth, new Set(seen).add(name), count && first));
      }
    }
    return max;
  };
  let depth = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, walk(def.selectionSet, 0, new Set(), true));
  }
  return { depth, aliases };
}

export function checkDocument(document: DocumentNode, limits: Limits): GraphQLError | undefined {
  const { depth, aliases } = measure(document);
  if (depth > limits.maxDepth) return limitError(`Operation depth ${depth} exceeds the limit of ${limits.maxDepth}`, 'depth', limits.maxDepth);
  if (aliases > limits.maxAliases) return limitError(`Operation uses ${aliases} aliases; the limit is ${limits.maxAliases}`, 'aliases', limits.maxAliases);
  return undefined;
}

export function checkDocumentSize(query: unknown, limits: Limits): GraphQLError | undefined {
  if (typeof query === 'string' && Buffer.byteLength(query) > limits.maxDocumentBytes) {
    return limitError(`Document is larger than ${limits.maxDocumentBytes} bytes`, 'documentBytes', limits.maxDocumentBytes);
  }
  return undefined;
}
