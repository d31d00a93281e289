// Types of the rclnodejs surface this simulator implements (see index.cjs for the list).

export interface Publisher {
  readonly topic: string;
  readonly destroyed: boolean;
  publish(message: unknown): void;
  subscriptionCount(): number;
}

export interface Subscription {
  readonly topic: string;
  readonly destroyed: boolean;
}

export interface Response {
  /** An empty response message to fill in. */
  readonly template: Record<string, unknown>;
  readonly sent: boolean;
  send(message: unknown): void;
}

export interface Service {
  readonly serviceName: string;
  readonly destroyed: boolean;
}

export interface Client {
  readonly serviceName: string;
  readonly destroyed: boolean;
  isServiceServerAvailable(): boolean;
  waitForService(timeoutMs?: number): Promise<boolean>;
  sendRequest(request: unknown, callback: (response: Record<string, unknown>) => void): void;
}

export interface NodeOptions {
  enableTypedArray?: boolean;
  qos?: { depth?: number };
}

export interface Node {
  name(): string;
  namespace(): string;
  getFullyQualifiedName(): string;
  readonly spinning: boolean;
  readonly destroyed: boolean;
  createPublisher(type: string, topic: string, options?: NodeOptions): Publisher;
  createSubscription(type: string, topic: string, callback: (message: Record<string, unknown>) => void): Subscription;
  createSubscription(type: string, topic: string, options: NodeOptions | undefined, callback: (message: Record<string, unknown>) => void): Subscription;
  createClient(type: string, serviceName: string, options?: NodeOptions): Client;
  createService(type: string, serviceName: string, callback: (request: Record<string, unknown>, response: Response) => unknown): Service;
  createService(type: string, serviceName: string, options: NodeOptions | undefined, callback: (request: Record<string, unknown>, response: Response) => unknown): Service;
  destroyPublisher(publisher: Publisher): void;
  destroySubscription(subscription: Subscription): void;
  destroyClient(client: Client): void;
  destroyService(service: Service): void;
  destroy(): void;
  spin(timeout?: number): void;
  spinOnce(timeout?: number): void;
  stop(): void;
}

export interface GraphStats {
  published: number;
  delivered: number;
  dropped: number;
  requests: number;
  lostRequests: number;
  responses: number;
}

export interface Graph {
  readonly stats: GraphStats;
  topicNamesAndTypes(): Array<[string, string[]]>;
  serviceNamesAndTypes(): Array<[string, string[]]>;
  subscriptionCount(topic: string): number;
}

export interface Context {
  readonly graph: Graph;
  readonly state: 'uninitialized' | 'ok' | 'shutdown';
  ok(): boolean;
  callbackErrorListeners: Array<(node: Node, error: unknown) => void>;
}

export interface Validator {
  validateFullTopicName(name: unknown): true;
  validateTopicName(name: unknown): true;
  validateNodeName(name: unknown): true;
  validateNamespace(name: unknown): true;
}

export function init(): Promise<void>;
export function isShutdown(): boolean;
export function shutdown(): void;
export function createNode(nodeName: string, namespace?: string): Node;
export function spin(node: Node, timeout?: number): void;
export function spinOnce(node: Node, timeout?: number): void;
export const validator: Validator;
/** Not rclnodejs API: the simulator's default context, for tests and diagnostics. */
export function currentContext(): Context;
