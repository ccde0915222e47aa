import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * An HTTP proxy in front of a local AWS API (moto) that answers chosen operations with an
 * AWS error instead of forwarding them: what the AWS SDK sees from a throttled DynamoDB
 * table. Operations are named as in `X-Amz-Target` (`TransactWriteItems`, `GetItem`...).
 */
export class FaultProxy {
  public static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await new Promise<void>(resolve => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Operation name to the error `__type` it answers with; empty: every request is forwarded. */
  public readonly faults = new Map<string, string>();
  /** Operations answered with a fault, in order. */
  public readonly faulted: string[] = [];
  private readonly server: http.Server;

  private constructor(target: URL) {
    this.server = http.createServer((request, response) => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const fault = this.faults.get(operation);
      if (fault) {
        this.faulted.push(operation);
        request.resume();
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${fault}`, message: `injected ${fault}` }));
        return;
      }
      const forwarded = http.request({
        host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers,
      }, upstream => {
        response.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(response);
      });
      request.pipe(forwarded);
    });
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public stop(): Promise<void> {
    return new Promise(resolve => this.server.close(() => resolve()));
  }
}
