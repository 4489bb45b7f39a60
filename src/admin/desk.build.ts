import type { ContactConsentService } from '../consent/contact-consent.service.ts';
import type { Executor } from '../executor/executor.ts';
import type { Clock } from '../lib/clock.ts';
import { ProcessorNotices } from '../requests/processor-notices.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import type { RequestExports } from '../requests/request-exports.ts';
import type { RetentionService } from '../retention/retention.service.ts';
import { SealedArchive } from '../retention/sealed-archive.ts';
import type { Store } from '../store/database.ts';
import { DeskRepository } from './desk.repository.ts';
import { Desk } from './desk.ts';

export interface DeskSources {
  store: Store;
  requests: RequestRepository;
  exports: RequestExports;
  contactConsents: ContactConsentService;
  clock: Clock;
  secret: string;
  executor?: Executor;
  retention?: RetentionService;
}

/** The desk's read side and its repository, from the services the app already has. */
export function buildDesk(s: DeskSources): { desk: Desk; repository: DeskRepository } {
  const repository = new DeskRepository(s.store.db);
  const { retention } = s;
  const notices = new ProcessorNotices(s.store.db, s.clock);
  const desk = new Desk({
    desk: repository,
    requests: s.requests,
    contactConsents: s.contactConsents,
    // The archive holds no state beyond its keys; the same secret opens what the retention sweep sealed.
    archive: new SealedArchive(s.store.db, s.secret, s.clock),
    exports: s.exports,
    clock: s.clock,
    secret: s.secret,
    executor: s.executor,
    retentionMode: retention ? () => retention.profileRule().mode : undefined,
    processorNotices: async (id) => (await notices.forRequest(id)).map((n) => ({ ...n, at: n.at as string | null })),
  });
  return { desk, repository };
}
