// The engine the pipeline uses: the seed keywords until a model is active, then the model on top of them.
// Each process checks for a newly activated model now and then, so a model trained anywhere reaches every worker.
import type { Database } from '../../store/db.js';
import { type LearnedOptions, LearnedTriage } from '../learned.js';
import type { TriageEngine, TriageInput, TriageResult } from '../types.js';
import { activeModelId, loadStoredModel } from './models.js';

export class LiveTriage implements TriageEngine {
  private current: TriageEngine;
  private activeId: number | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly keywords: TriageEngine,
    private readonly db: Database,
    private readonly options: LearnedOptions,
    private readonly everyMs = 10_000,
  ) {
    this.current = keywords;
  }

  get version(): string {
    return this.current.version;
  }

  /** The active model's id, or null while the seed keywords alone decide. */
  get modelId(): number | null {
    return this.activeId;
  }

  triage(input: TriageInput): TriageResult {
    return this.current.triage(input);
  }

  /** Picks up the active model if it changed; at most one cheap query per `everyMs` unless forced. */
  async sync(force = false): Promise<void> {
    const now = performance.now();
    if (!force && now - this.checkedAt < this.everyMs) return;
    this.checkedAt = now;
    const id = await activeModelId(this.db);
    if (id === this.activeId) return;
    this.current = id === null ? this.keywords : new LearnedTriage(this.keywords, await loadStoredModel(this.db, id), this.options);
    this.activeId = id;
  }
}
