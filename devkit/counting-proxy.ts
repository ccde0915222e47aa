import * as http from 'http';
import * as net from 'net';
import { performance } from 'perf_hooks';

/** One DynamoDB API request that went through the proxy, with what the server answered. */
export interface RecordedRequest {
  /** The operation, from the `X-Amz-Target` header: `GetItem`, `UpdateItem`, `TransactWriteItems`... */
  readonly kind: string;
  /** The JSON request body. */
  readonly body: Record<string, any>;
  readonly status: number;
  /** The error's `__type` without its namespace (`ConditionalCheckFailedException`...), when the request failed. */
  readonly error?: string;
  /** Milliseconds from the request's last byte to the server's last byte. */
  readonly ms: number;
}

/**
 * A local HTTP proxy in front of a DynamoDB endpoint that records every request. Code that
 * builds its own SDK client (the bundled tracker handler) is pointed at it with
 * `AWS_ENDPOINT_URL_DYNAMODB`, so its requests can be counted by kind without touching it.
 */
export class CountingProxy {
  public static async start(target: string): Promise<CountingProxy> {
    const proxy = new CountingProxy(new URL(target));
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  public readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(private readonly target: URL) {
    this.server = http.createServer((request, response) => this.forward(request, response));
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** The requests recorded since `from` (an earlier `requests.length`). */
  public since(from: number): RecordedRequest[] {
    return this.requests.slice(from);
  }

  public async stop(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const payload = Buffer.concat(chunks);
      const sent = performance.now();
      const upstream = http.request({
        host: this.target.hostname, port: this.target.port, path: request.url, method: request.method, headers: request.headers, agent: this.agent,
      }, answer => {
        const answerChunks: Buffer[] = [];
        answer.on('data', chunk => answerChunks.push(chunk));
        answer.on('end', () => {
          const answerBody = Buffer.concat(answerChunks);
          const target = String(request.headers['x-amz-target'] ?? '');
          if (target) {
            const status = answer.statusCode ?? 0;
            this.requests.push({ kind: target.split('.').pop()!, body: parseJson(payload), status, error: status >= 400 ? errorType(answerBody) : undefined, ms: performance.now() - sent });
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(answerBody);
        });
      });
      upstream.on('error', error => {
        response.writeHead(502);
        response.end(String(error));
      });
      upstream.end(payload);
    });
  }
}

function parseJson(payload: Buffer): Record<string, any> {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return {};
  }
}

function errorType(body: Buffer): string {
  const type = String(parseJson(body).__type ?? 'UnknownError');
  return type.split('#').pop()!;
}
