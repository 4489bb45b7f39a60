import type { Kysely } from 'kysely';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { Clock } from '../lib/clock.ts';
import type { Database } from '../store/schema.ts';
import { DeviceCookies } from './devices.ts';
import { AdminLogin } from './login.ts';
import type { ScryptCost } from './passwords.ts';
import { AdminSessions } from './sessions.ts';
import { LoginThrottle } from './throttle.ts';
import { AdminUsers } from './users.ts';

/** The back office's accounts, sessions and login, wired once for the server and the CLI. */
export interface AdminServices {
  users: AdminUsers;
  sessions: AdminSessions;
  login: AdminLogin;
}

export function buildAdmin(deps: {
  db: Kysely<Database>;
  clock: Clock;
  secret: string;
  baseUrl: string;
  audit: AuditTrail;
  /** The name authenticator apps show next to the code. */
  issuer: () => string;
  /** scrypt's parameters; SCRYPT unless a test asks for less. */
  passwordCost?: ScryptCost;
}): AdminServices {
  const users = new AdminUsers(deps);
  const sessions = new AdminSessions(deps);
  const throttle = new LoginThrottle(deps);
  return {
    users,
    sessions,
    login: new AdminLogin({
      users,
      sessions,
      throttle,
      devices: new DeviceCookies(deps),
      audit: deps.audit,
      clock: deps.clock,
      passwordCost: deps.passwordCost,
    }),
  };
}
