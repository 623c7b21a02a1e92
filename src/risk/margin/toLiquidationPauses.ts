import { levelRank } from '../../breaker/levels.ts';
import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import type { FailureLosses } from '../contagion/toFailureLosses.ts';
import type { SourceHazard } from '../contagion/toSourceHazards.ts';
import type { MarginBook } from './marginBook.ts';
import type { MarginPolicy } from './marginPolicy.ts';

/**
 * Per account: the failure sources at or above `pauseLiquidationsAtLevel` that reach an asset or
 * settlement chain of the account, in the graph's order. Its liquidation waits while there is one.
 */
export function toLiquidationPauses(
  book: MarginBook,
  graph: ContagionGraph,
  hazards: ReadonlyMap<string, SourceHazard>,
  sourceLosses: readonly FailureLosses[],
  policy: MarginPolicy,
): string[][] {
  const pausedBy: string[][] = Array.from({ length: book.nAccounts }, () => []);
  const pausing = graph.sources.filter(
    (source) =>
      levelRank(hazards.get(source)?.level ?? 'normal') >= levelRank(policy.pauseLiquidationsAtLevel),
  );
  if (pausing.length === 0) return pausedBy;
  const pausingIndex = pausing.map((source) => graph.sources.indexOf(source));
  const accountNames = toAccountDependencies(book);
  for (const [a, names] of accountNames) {
    for (const [k, source] of pausing.entries()) {
      const losses = sourceLosses[pausingIndex[k]!]!;
      for (const name of names) {
        if ((losses.get(name) ?? 0) > 0) {
          pausedBy[a]!.push(source);
          break;
        }
      }
    }
  }
  return pausedBy;
}

/** The assets and settlement chains of each account with positions, by account index. */
function toAccountDependencies(book: MarginBook): Map<number, Set<string>> {
  const { options, linear, nodeNames } = book;
  const assetNames = book.markets.names;
  const names = new Map<number, Set<string>>();
  for (let i = 0; i < options.n; i++) addName(names, options.account[i]!, assetNames[options.asset[i]!]!);
  for (let i = 0; i < linear.n; i++) addName(names, linear.account[i]!, assetNames[linear.asset[i]!]!);
  for (let i = 0; i < options.n; i++)
    if (options.settlement[i]! >= 0) addName(names, options.account[i]!, nodeNames[options.settlement[i]!]!);
  for (let i = 0; i < linear.n; i++)
    if (linear.settlement[i]! >= 0) addName(names, linear.account[i]!, nodeNames[linear.settlement[i]!]!);
  return names;
}

function addName(map: Map<number, Set<string>>, account: number, name: string): void {
  let set = map.get(account);
  if (!set) {
    set = new Set();
    map.set(account, set);
  }
  set.add(name);
}
