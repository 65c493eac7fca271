// The part of autocannon's API the load generator uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string | Buffer;
      connections?: number;
      duration?: number;
    }
    interface Result {
      requests: { total: number };
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }
  /** The returned tracker emits 'response' (client, statusCode, bytes, responseTimeMs) per response. */
  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): import('node:events').EventEmitter;
  export default autocannon;
}
