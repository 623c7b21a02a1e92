import type { Scenario } from '../scenario.ts';
import { clientHalt } from './clientHalt.ts';
import { clientSplit } from './clientSplit.ts';
import { deepReorg } from './deepReorg.ts';
import { finalityLoss4 } from './finalityLoss4.ts';
import { finalityLoss9 } from './finalityLoss9.ts';
import { fullHalt } from './fullHalt.ts';
import { laggingNode } from './laggingNode.ts';
import { lyingNode } from './lyingNode.ts';
import { partitionHeal } from './partitionHeal.ts';
import { powFork } from './powFork.ts';
import { quiet } from './quiet.ts';
import { reorg7 } from './reorg7.ts';

/** The scenario library, in the order `listScenarios` gives. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([
  reorg7,
  finalityLoss4,
  finalityLoss9,
  clientSplit,
  clientHalt,
  fullHalt,
  deepReorg,
  powFork,
  partitionHeal,
  laggingNode,
  lyingNode,
  quiet,
]);
