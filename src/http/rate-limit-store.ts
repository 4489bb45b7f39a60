import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type Clock, MINUTE } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import type { RateLimitRepository, RateWindow } from '../limits/rate-limit.repository.ts';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * What @fastify/rate-limit passes to `child` for a route at run time: the route's merged limit options
 * with the route as `routeInfo` (its type declarations say otherwise).
 */
interface RouteLimitOptions {
  groupId?: string;
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * A store for @fastify/rate-limit that keeps its counters in the hub's database instead of one
 * process's memory: several servers on one database share each client's limit. Routes with the same
 * `groupId` share one counter per client (the request form and the request API); any other route
 * counts on its own. Clients are stored as a keyed HMAC of their address.
 */
export function databaseRateLimitStore(deps: {
  limits: RateLimitRepository;
  clock: Clock;
  secret: string;
}): FastifyRateLimitStoreCtor {
  const key = deriveKey(deps.secret, 'rate-limits');
  let lastSweep = 0;
  // Ended windows are dropped once a minute per process, outside any counting statement.
  const sweepNow = async () => {
    const now = deps.clock.now().getTime();
    if (Math.abs(now - lastSweep) < MINUTE) return;
    lastSweep = now;
    await deps.limits.sweep();
  };
  const answer = (window: RateWindow, cb: Callback) =>
    cb(null, { current: window.hits, ttl: Math.max(0, window.resetsAt.getTime() - deps.clock.now().getTime()) });

  class DatabaseRateLimitStore {
    readonly #scope: string;

    constructor(_options?: unknown, scope = 'global') {
      this.#scope = scope;
    }

    #key(client: string): string {
      return `${this.#scope}:${hmacHex(key, client)}`;
    }

    incr(client: string, cb: Callback, timeWindow: number): void {
      sweepNow()
        .then(() => deps.limits.hit(this.#key(client), timeWindow))
        .then((window) => answer(window, cb), cb);
    }

    read(client: string, cb: Callback): void {
      deps.limits.read(this.#key(client)).then((window) => answer(window, cb), cb);
    }

    child(routeOptions: object): DatabaseRateLimitStore {
      const options = routeOptions as RouteLimitOptions;
      const method = [options.routeInfo?.method ?? ''].flat().join(',');
      return new DatabaseRateLimitStore(undefined, options.groupId ?? `${method} ${options.routeInfo?.url ?? ''}`);
    }
  }
  return DatabaseRateLimitStore;
}
