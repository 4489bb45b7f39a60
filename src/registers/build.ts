import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Executor } from '../executor/executor.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import type { JobDefinition } from '../jobs/worker.ts';
import type { Clock } from '../lib/clock.ts';
import { yaml } from '../lib/yaml.ts';
import type { MailOutbox } from '../notify/outbox.ts';
import { PolicyChangeNotifier, policyNotifyJob } from '../policy/notify.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { type AuditRecorder, type PolicyVersion, PolicyVersions } from '../policy/versions.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { Database } from '../store/schema.ts';
import { BreachRegister } from './breaches.ts';
import { DisclosureRegister } from './disclosures.ts';

export interface RegisterServices {
  disclosures: DisclosureRegister;
  breaches: BreachRegister;
  policyVersions: PolicyVersions;
  policyNotifier: PolicyChangeNotifier;
  /** The `policy.notify` job. */
  jobDefinitions: JobDefinition[];
  /** The policy file that publishing reads (the config folder's policy.yaml). */
  policyFile: string;
  /** Policy-change e-mails a minute at most. */
  notifyPerMinute: number;
  /**
   * Records the policy Inzage started with as version 1 when nothing is published yet; returns the
   * latest version. Run at start-up and before versions are listed or published.
   */
  ensureFirstVersion(): Promise<PolicyVersion>;
}

export interface RegisterBuildDeps {
  db: Kysely<Database>;
  clock: Clock;
  jobs: JobRepository;
  outbox: MailOutbox;
  policy: () => Policy;
  secret: string;
  executor?: Executor;
  audit?: AuditRecorder;
  notifyPerMinute: number;
  policyFile: string;
}

/** The registers and the policy's versions, wired once for the server, the worker and the CLI. */
export function buildRegisters(deps: RegisterBuildDeps): RegisterServices {
  const ref = (email: string) => subjectRef(deps.secret, email);
  // The text as Inzage starts with it, next to the policy parsed from it at start.
  const started = deps.policy();
  let startedYaml: string;
  try {
    startedYaml = readFileSync(deps.policyFile, 'utf8');
  } catch {
    startedYaml = yaml().stringify(started);
  }
  const policyVersions = new PolicyVersions({ db: deps.db, clock: deps.clock, jobs: deps.jobs, audit: deps.audit });
  const executor = deps.executor;
  const policyNotifier = new PolicyChangeNotifier({
    db: deps.db,
    versions: policyVersions,
    outbox: deps.outbox,
    clock: deps.clock,
    subjectRef: ref,
    perMinute: deps.notifyPerMinute,
    audit: deps.audit,
    ...(executor ? { subjectsWithCategories: (c: ReadonlyArray<string>) => executor.subjectsWithCategories(c) } : {}),
  });
  return {
    disclosures: new DisclosureRegister({ db: deps.db, clock: deps.clock, audit: deps.audit, subjectRef: ref }),
    breaches: new BreachRegister({
      db: deps.db,
      clock: deps.clock,
      audit: deps.audit,
      categories: () => deps.policy().categories.map((c) => c.id),
    }),
    policyVersions,
    policyNotifier,
    jobDefinitions: [policyNotifyJob(policyNotifier)],
    policyFile: deps.policyFile,
    notifyPerMinute: deps.notifyPerMinute,
    ensureFirstVersion: () => policyVersions.recordFirst(startedYaml, started),
  };
}
