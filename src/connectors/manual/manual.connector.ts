import type { ManualSystem } from '../../datamap/datamap.schema.ts';
import type {
  Connector,
  Corrections,
  EraseOptions,
  ManualTask,
  SubjectIdentity,
  SystemErasure,
  SystemRectification,
} from '../connector.ts';

/** A processor without an API: every action becomes a task for a person, with who to ask and how. */
export class ManualConnector implements Connector {
  readonly kind = 'manual';

  constructor(
    readonly system: string,
    /** A manual system, or the fallback of an api system (the same fields). */
    private readonly config: Pick<ManualSystem, 'processor' | 'contact' | 'instructions' | 'days' | 'categories'>,
    private readonly categories: string[],
  ) {}

  get processor(): string {
    return this.config.processor;
  }

  manualTask(action: ManualTask['action']): ManualTask {
    return {
      system: this.system,
      processor: this.config.processor,
      action,
      contact: this.config.contact,
      instructions: this.config.instructions,
      dueInDays: this.config.days,
      categories: this.config.categories ?? this.categories,
    };
  }

  async find(_subject: SubjectIdentity) {
    return { findings: [], task: this.manualTask('access'), queries: 0 };
  }

  async erase(_subject: SubjectIdentity, options: EraseOptions): Promise<SystemErasure> {
    return {
      system: this.system,
      status: options.dryRun ? 'dry-run' : 'manual',
      collections: [],
      task: this.manualTask('erase'),
      queries: 0,
    };
  }

  async rectify(_subject: SubjectIdentity, _corrections: Corrections): Promise<SystemRectification> {
    return { system: this.system, status: 'manual', collections: [], task: this.manualTask('rectify') };
  }

  async close(): Promise<void> {}
}
