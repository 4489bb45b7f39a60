import { REF } from './lint-law.ts';
import { type LintRule, warning } from './lint-support.ts';
import { executorsFor } from './retention-executors.ts';

/** Rules about whether the policy's retention terms are kept by something, and counted as the law counts. */

const retentionWithoutExecutor: LintRule = {
  id: 'retention-without-executor',
  reason:
    'A retention term nobody enforces is only words: each rule needs a job that erases what is past it, or the shop must do it by hand.',
  reference: REF.storageLimitation,
  check(policy) {
    // A rule without a term is retention-without-term's; a rule with one that no executor covers is this.
    return policy.retention.rules.flatMap((r, i) =>
      r.term && executorsFor(r).length === 0
        ? [
            warning(
              ['retention', 'rules', i],
              `retention rule "${r.id}" is not enforced: no executor of Inzage covers a term counted from "${r.from ?? '(no start)'}" (${COVERED})`,
            ),
          ]
        : [],
    );
  },
};

const fiscalHoldFromRecordDate: LintRule = {
  id: 'fiscal-hold-from-record-date',
  reason:
    'The fiscal retention duty runs seven years from the end of the financial year a record belongs to, not from the record’s own date.',
  reference: 'AWR art. 52(4)',
  check(policy) {
    return policy.retention.rules.flatMap((r, i) =>
      r.legalHold === 'fiscal' && r.term && r.until !== 'end-of-financial-year'
        ? [
            warning(
              ['retention', 'rules', i, 'term'],
              `retention rule "${r.id}" counts the fiscal hold from the record's date; add "until: end-of-financial-year" (held records would be destroyed up to a year early)`,
            ),
          ]
        : [],
    );
  },
};

/** What the executors of src/policy/retention-executors.ts cover, in words for the message. */
const COVERED =
  'covered are: whileClient from last-activity, a legal hold, and terms from collected, completed or withdrawn';

export const RETENTION_RULES: readonly LintRule[] = [retentionWithoutExecutor, fiscalHoldFromRecordDate];
