// The sweeps the ticker runs, in order. Each lives beside what it acts on.

import { opinionSweep } from '../analytics/opinion.js';
import { digestSweep } from '../analytics/report-sweep.js';
import { analyticsCatchUpSweep } from '../analytics/rollup.js';
import { spikeSweep } from '../analytics/spike-sweep.js';
import { incidentFollowSweep } from '../incidents/follow.js';
import { autoCloseSweep } from '../tickets/loop-sweep.js';
import { escalationSweep } from './escalation.js';
import { dailySummarySweep } from './summary.js';
import type { Sweep } from './ticker.js';

export const SWEEPS: Sweep[] = [
  escalationSweep,
  dailySummarySweep,
  autoCloseSweep,
  incidentFollowSweep,
  analyticsCatchUpSweep,
  opinionSweep,
  digestSweep,
  spikeSweep,
];
