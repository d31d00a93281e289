/** A typed event map: event name → payload. */
export type EventMap = Record<string, unknown>;

export type Listener<T> = (payload: T) => void;

/**
 * Publish/subscribe with the payload type tied to the event name (no `any`-typed map). A listener
 * that throws is reported to `onListenerError` and does not stop the others or the emitter.
 */
export class TypedEmitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (event: keyof E, error: unknown) => void = () => {}) {}

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  protected emit<K extends keyof E>(event: K, payload: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E[K]>)(payload);
      } catch (error) {
        try {
          this.onListenerError(event, error);
        } catch {
          // A failing error reporter must not take the emitter down either.
        }
      }
    }
  }
}
