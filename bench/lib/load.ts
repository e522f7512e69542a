import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
}

export interface LoadFigures {
  reqPerSec: number;
  p99Ms: number;
  p50Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One autocannon run from this process; refuses runs that saw errors or non-2xx answers. */
export async function measure(options: LoadOptions): Promise<LoadFigures> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(options.url)) throw new Error(`benchmarks only load 127.0.0.1, not ${options.url}`);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    pipelining: 1,
    timeout: 10,
    headers: options.headers ?? {},
  });
  const figures: LoadFigures = {
    reqPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  if (figures.non2xx || figures.errors || figures.timeouts) {
    throw new Error(
      `${options.url}: ${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.timeouts} timeouts ` +
        `(status codes ${JSON.stringify(result.statusCodeStats)}) — refusing to report a figure`,
    );
  }
  return figures;
}
