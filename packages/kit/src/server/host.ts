// ServiceHost: the HTTP/WebSocket shell every service (gateway and subgraphs) runs in — health,
// metrics, and the graceful shutdown sequence of ARCHITECTURE §6.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { WebSocketServer } from 'ws';
import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import type { Logger } from '../logger';

/**
 * Close code sent to WebSocket clients on shutdown: 1012 "Service Restart" (RFC 6455 registry).
 * Clients reconnect (to another replica) and resume frame streams from their last cursor.
 */
export const SHUTDOWN_CLOSE_CODE = 1012;
export const SHUTDOWN_CLOSE_REASON = 'service restarting: reconnect and resume from your cursor';

export type ReadinessCheck = () => Promise<boolean>;

export interface ServiceHostOptions {
  name: string;
  logger: Logger;
  shutdownTimeoutMs: number;
  readiness?: Record<string, ReadinessCheck>;
}

export class ServiceHost {
  readonly app: Express;
  readonly httpServer: http.Server;
  /** graphql-ws endpoint on the same port and path as HTTP GraphQL. */
  readonly wss: WebSocketServer;
  readonly metrics = new Registry();
  private ready = false;
  private stopping?: Promise<void>;
  private inFlight = 0;
  private readonly closeHooks: Array<() => Promise<void>> = [];
  private readonly readiness: Record<string, ReadinessCheck>;

  constructor(private readonly opts: ServiceHostOptions) {
    this.readiness = { ...(opts.readiness ?? {}) };
    this.app = express();
    this.app.disable('x-powered-by');
    this.httpServer = http.createServer(this.app);
    this.wss = new WebSocketServer({ server: this.httpServer, path: '/graphql' });
    collectDefaultMetrics({ register: this.metrics, labels: { service: opts.name } });
    const requests = new Counter({ name: 'talos_http_requests_total', help: 'HTTP requests', labelNames: ['service', 'status'], registers: [this.metrics] });
    const duration = new Histogram({
      name: 'talos_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['service'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.metrics],
    });

    this.app.use((req, res, next) => {
      this.inFlight++;
      const end = duration.startTimer({ service: opts.name });
      res.on('close', () => {
        this.inFlight--;
        end();
        requests.inc({ service: opts.name, status: String(res.statusCode) });
      });
      if (this.stopping) res.setHeader('connection', 'close');
      next();
    });
    this.app.get('/health/live', (_req, res) => {
      res.json({ status: 'ok', service: opts.name });
    });
    this.app.get('/health/ready', async (_req, res) => {
      if (!this.ready) {
        res.status(503).json({ status: this.stopping ? 'stopping' : 'starting', service: opts.name });
        return;
      }
      const checks: Record<string, boolean> = {};
      await Promise.all(
        Object.entries(this.readiness).map(async ([name, check]) => {
          checks[name] = await check().catch(() => false);
        }),
      );
      const ok = Object.values(checks).every(Boolean);
      res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', service: opts.name, checks });
    });
    this.app.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', this.metrics.contentType);
      res.send(await this.metrics.metrics());
    });
  }

  addReadinessCheck(name: string, check: ReadinessCheck): void {
    this.readiness[name] = check;
  }

  /** Runs during shutdown after HTTP drained and WebSockets closed (e.g. AS5 stop, workers). */
  onClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(port, host, () => {
        this.httpServer.off('error', reject);
        resolve();
      });
    });
    this.ready = true;
    return (this.httpServer.address() as AddressInfo).port;
  }

  get port(): number {
    return (this.httpServer.address() as AddressInfo).port;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /**
   * readiness off → stop accepting → drain in-flight HTTP (deadline) → close WebSockets with
   * SHUTDOWN_CLOSE_CODE → close hooks. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.runStop();
    return this.stopping;
  }

  private async runStop(): Promise<void> {
    const log = this.opts.logger;
    this.ready = false;
    const closed = new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
    this.httpServer.closeIdleConnections();
    const deadline = Date.now() + this.opts.shutdownTimeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (this.inFlight > 0) log.warn({ inFlight: this.inFlight }, 'shutdown deadline reached; closing remaining connections');
    for (const ws of this.wss.clients) ws.close(SHUTDOWN_CLOSE_CODE, SHUTDOWN_CLOSE_REASON);
    // A client that never answers the close handshake is cut off after a second.
    const cutoff = setTimeout(() => this.wss.clients.forEach((ws) => ws.terminate()), 1000);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    clearTimeout(cutoff);
    this.httpServer.closeAllConnections();
    await closed;
    for (const hook of this.closeHooks) {
      await hook().catch((err: unknown) => log.error({ err: (err as Error).message }, 'close hook failed'));
    }
    log.info('stopped');
  }
}
