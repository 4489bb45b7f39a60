import type { Corrections, EraseOptions, SubjectIdentity } from '../connector.ts';
import type { ProcessorApi, ProcessorApiContext, ProcessorApiFactory } from './processor-api.ts';

/**
 * A processor's API whose code is imported when it is first called. Its capabilities come from the
 * factory's description, so the ApiConnector decides what becomes a manual task without loading anything;
 * the first find, erasure, correction, restriction or test imports the implementation once and hands on.
 */
export class LoadedOnUse implements ProcessorApi {
  readonly capabilities: ProcessorApi['capabilities'];
  readonly #factory: ProcessorApiFactory;
  readonly #ctx: ProcessorApiContext;
  #api?: Promise<ProcessorApi>;

  constructor(factory: ProcessorApiFactory, ctx: ProcessorApiContext) {
    this.capabilities = factory.capabilities;
    this.#factory = factory;
    this.#ctx = ctx;
  }

  /** The implementation, imported once; a failed import is tried again on the next call. */
  loaded(): Promise<ProcessorApi> {
    this.#api ??= this.#factory.load().then(
      (create) => create(this.#ctx),
      (err: unknown) => {
        this.#api = undefined;
        throw err;
      },
    );
    return this.#api;
  }

  async find(subject: SubjectIdentity) {
    return (await this.loaded()).find(subject);
  }

  async erase(subject: SubjectIdentity, options: EraseOptions) {
    const api = await this.loaded();
    if (!api.erase) throw new Error(`${this.#factory.name}: the description says it erases, its code has no erase`);
    return api.erase(subject, options);
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections) {
    const api = await this.loaded();
    if (!api.rectify)
      throw new Error(`${this.#factory.name}: the description says it corrects, its code has no rectify`);
    return api.rectify(subject, corrections);
  }

  async restrict(subject: SubjectIdentity) {
    const api = await this.loaded();
    if (!api.restrict)
      throw new Error(`${this.#factory.name}: the description says it restricts, its code has no restrict`);
    return api.restrict(subject);
  }

  async test() {
    return (await this.loaded()).test();
  }
}
