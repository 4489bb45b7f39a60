import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who holds something (a job, a retention run) as a process: its host, its pid and its pid namespace.
 * A pid means something only inside its namespace: two containers on one host (or two with the same
 * hostname) each have a pid 1. So a holder is checked by its pid only when it shares this process's host
 * and namespace; anywhere else it is alive until its lease or heartbeat runs out.
 */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /**
   * The pid namespace (`pid:[4026531836]` from /proc/self/ns/pid on Linux; `host:<platform>` where the
   * platform has none, so pids are host-wide); null when it could not be read: then nobody can judge
   * this process by its pid.
   */
  pidNs: string | null;
}

/** The pid namespace of this process, or null when Linux does not let it be read. */
export function readPidNamespace(
  platform: NodeJS.Platform = process.platform,
  read: (path: string) => string = (path) => readlinkSync(path),
): string | null {
  if (platform !== 'linux') return `host:${platform}`;
  try {
    const ns = read('/proc/self/ns/pid');
    return /^pid:\[\d+\]$/.test(ns) ? ns : null;
  } catch {
    return null;
  }
}

let self: ProcessIdentity | undefined;

/** This process (read once: host, pid and namespace do not change while it runs). */
export function thisProcess(): ProcessIdentity {
  self ??= { host: hostname(), pid: process.pid, pidNs: readPidNamespace() };
  return self;
}

export function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.host === b.host && a.pid === b.pid && a.pidNs !== null && a.pidNs === b.pidNs;
}

/** Whether this process can judge `other` by its pid: same host and the same, known, pid namespace. */
export function sharesPidSpace(other: ProcessIdentity, me: ProcessIdentity = thisProcess()): boolean {
  return other.host === me.host && other.pidNs !== null && other.pidNs === me.pidNs;
}

/**
 * True only when `other` is certainly gone: it shares this process's pid space and no process has its
 * pid. A holder elsewhere (another host, another namespace, or one whose namespace is unknown) is never
 * declared gone here; it expires by its lease or heartbeat instead.
 */
export function certainlyGone(
  other: ProcessIdentity,
  me: ProcessIdentity = thisProcess(),
  exists: (pid: number) => boolean = pidExists,
): boolean {
  if (!sharesPidSpace(other, me)) return false;
  if (other.pid === me.pid) return false;
  return !exists(other.pid);
}

/** Whether a process with this pid exists in this namespace (signal 0 checks without sending anything). */
export function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
