import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded the first time it is needed, not when its importer is. Starting the server or
 * running a command loads every module it imports; the database drivers a SQLite shop never uses, the
 * holiday tables no request has needed yet, the mailer before the first mail and the QR encoder of one
 * setup page together cost about half a second of every start (measured with `npm run bench -- start`).
 * Only for packages that ship CommonJS: `require` then returns the same module an `import` would.
 */
export function lazily<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(id) as T;
    return loaded;
  };
}
