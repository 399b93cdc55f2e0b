// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** The engine's error code (e.g. not_found, unauthenticated) or 'unreachable'. */
      code?: string;
      /** The HTTP status the engine answered; 0 when it could not be reached. */
      engineStatus?: number;
    }
  }
}

export {};
