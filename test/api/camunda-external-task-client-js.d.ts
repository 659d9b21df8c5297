/**
 * The part of camunda-external-task-client-js 3.1 (an untyped ESM package) that the
 * tests use. Source: its lib/Client.js, TaskService.js, Variables.js, File.js.
 */
declare module 'camunda-external-task-client-js' {
  export interface TypedValue {
    value: unknown;
    type: string;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    constructor(initial?: Record<string, TypedValue>);
    get(name: string): unknown;
    getTyped(name: string): TypedValue | null;
    getAll(): Record<string, unknown>;
    getAllTyped(): Record<string, TypedValue>;
    set(name: string, value: unknown): this;
    setTyped(name: string, typed: TypedValue): this;
    setAll(values: Record<string, unknown>): this;
  }

  export class File {
    constructor(options: { localPath?: string; remotePath?: string; typedValue?: TypedValue; filename?: string; encoding?: string; mimetype?: string });
    load(): Promise<this>;
    content: Buffer | string;
    filename: string;
    mimeType?: string;
    encoding?: string;
  }

  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    retries: number | null;
    processInstanceId: string;
    activityId: string;
    businessKey: string | null;
    lockExpirationTime: string;
    variables: Variables;
  }

  export interface FailureOptions {
    errorMessage?: string;
    errorDetails?: string;
    retries?: number;
    retryTimeout?: number;
  }

  export interface TaskService {
    complete(task: Task, processVariables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task, options: FailureOptions): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
    lock(task: Task, duration: number): Promise<void>;
    unlock(task: Task): Promise<void>;
  }

  export type Interceptor = (config: Record<string, unknown>) => Record<string, unknown>;

  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    usePriority?: boolean;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    interceptors?: Interceptor | Interceptor[];
    sorting?: { sortBy: string; sortOrder: string }[];
  }

  export interface SubscribeOptions {
    lockDuration?: number;
    variables?: string[];
    businessKey?: string;
    processDefinitionKey?: string;
    localVariables?: boolean;
  }

  export class Client {
    constructor(options: ClientOptions);
    subscribe(topic: string, options: SubscribeOptions, handler: (args: { task: Task; taskService: TaskService }) => Promise<void> | void): { unsubscribe(): void };
    start(): void;
    stop(): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** `new BasicAuthInterceptor({username, password})` returns an interceptor function. */
  export const BasicAuthInterceptor: new (options: { username: string; password: string }) => Interceptor;
}
