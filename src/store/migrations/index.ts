import type { Migration } from 'kysely';
import * as m0001 from './0001-jobs.ts';
import * as m0002 from './0002-sealed-archive.ts';
import * as m0003 from './0003-requests.ts';
import * as m0004 from './0004-mail-outbox.ts';
import * as m0005 from './0005-cookie-consents.ts';
import * as m0006 from './0006-contact-consents.ts';
import * as m0007 from './0007-subject-activity.ts';
import * as m0008 from './0008-retention-runs.ts';
import * as m0009 from './0009-admin-users.ts';
import * as m0010 from './0010-audit-log.ts';
import * as m0011 from './0011-registers.ts';
import * as m0012 from './0012-policy-versions.ts';
import * as m0013 from './0013-processor-notices.ts';
import * as m0014 from './0014-retention-reminders.ts';
import * as m0015 from './0015-analytics-ids.ts';
import * as m0016 from './0016-export-parts.ts';
import * as m0017 from './0017-objections.ts';
import * as m0018 from './0018-erasure-journal.ts';
import * as m0019 from './0019-mail-handover.ts';
import * as m0020 from './0020-store-probe.ts';
import * as m0021 from './0021-audit-pseudonyms.ts';
import * as m0022 from './0022-restriction-holds.ts';
import * as m0024 from './0024-verification-mails.ts';
import * as m0025 from './0025-rate-limits.ts';
import * as m0027 from './0027-request-channel.ts';
import * as m0029 from './0029-retention-journal.ts';
import * as m0040 from './0040-shopify-webhooks.ts';
import * as m0060 from './0060-scan-runs.ts';
import * as m0075 from './0075-admin-language.ts';
import * as m0090 from './0090-process-identity.ts';
import * as m0095 from './0095-hub-keys.ts';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-jobs': m0001,
  '0002-sealed-archive': m0002,
  '0003-requests': m0003,
  '0004-mail-outbox': m0004,
  '0005-cookie-consents': m0005,
  '0006-contact-consents': m0006,
  '0007-subject-activity': m0007,
  '0008-retention-runs': m0008,
  '0009-admin-users': m0009,
  '0010-audit-log': m0010,
  '0011-registers': m0011,
  '0012-policy-versions': m0012,
  '0013-processor-notices': m0013,
  '0014-retention-reminders': m0014,
  '0015-analytics-ids': m0015,
  '0016-export-parts': m0016,
  '0017-objections': m0017,
  '0018-erasure-journal': m0018,
  '0019-mail-handover': m0019,
  '0020-store-probe': m0020,
  '0021-audit-pseudonyms': m0021,
  '0022-restriction-holds': m0022,
  '0024-verification-mails': m0024,
  '0025-rate-limits': m0025,
  '0027-request-channel': m0027,
  '0029-retention-journal': m0029,
  '0040-shopify-webhooks': m0040,
  '0060-scan-runs': m0060,
  '0075-admin-language': m0075,
  '0090-process-identity': m0090,
  '0095-hub-keys': m0095,
};
