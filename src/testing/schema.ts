/**
 * The scenario format of `procos test`: a YAML file that deploys BPMN, starts one
 * process instance and walks it step by step, with a clock the scenario moves.
 *
 * @example
 * ```yaml
 * name: order is shipped after payment
 * deploy: [order.bpmn, payment.bpmn]          # relative to this file
 * start: {process: order, businessKey: o-1, variables: {amount: 30}}
 * steps:
 *   - expect: {waitingAt: [pay]}
 *   - complete: {activity: pay, variables: {paid: true}}
 *   - complete: {topic: ship}
 *   - advanceClock: PT1H
 *   - expect: {state: completed, passed: [shipped], notPassed: [cancelled], variables: {paid: true}, incidents: 0}
 * ```
 * Each step is a mapping with exactly one key, its kind ({@link STEP_KINDS}). The zod
 * schemas here are the reference; {@link loadScenario} applies them step by step so that
 * errors name the step and the field.
 */
import { z } from 'zod';
import type { JsonValue } from '../common/json.js';
import { parseDuration, parseInstant } from './time.js';

/** Any JSON value (a variable's value). */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/** Variables: name → JSON value. */
export const variablesSchema = z.record(z.string(), jsonValueSchema);

/** An ISO-8601 duration such as `PT30M`, `PT1H`, `P1D`. */
export const durationSchema = z.string().superRefine((s, ctx) => {
  if (parseDuration(s) === null) ctx.addIssue({ code: 'custom', message: `"${s}" is not an ISO-8601 duration (e.g. PT30M, PT1H30M, P1D)` });
});

/** A business key: text (a number is taken as its text). */
const businessKeySchema = z.union([z.string(), z.number()]).transform(String);

/** `activity` or `topic` names the task a step acts on: exactly one of them. */
function oneTarget(v: { activity?: string | undefined; topic?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((v.activity === undefined) === (v.topic === undefined)) {
    ctx.addIssue({ code: 'custom', message: v.activity === undefined ? 'needs "activity" or "topic"' : 'give "activity" or "topic", not both' });
  }
}

const target = { activity: z.string().min(1).optional(), topic: z.string().min(1).optional() };

/**
 * `complete: {activity | topic, variables?}`: completes the external task, user task or
 * message-less receive task waiting at `activity` (the oldest, with several), or the
 * oldest external task of `topic`. The runner fetches and locks an external task itself.
 */
export const completeSchema = z.strictObject({ ...target, variables: variablesSchema.optional() }).superRefine(oneTarget);

/**
 * `bpmnError: {activity | topic, code, message?, variables?}`: reports a BPMN error for
 * the external task; the variables are set where the catching event's scope reads them.
 */
export const bpmnErrorSchema = z
  .strictObject({ ...target, code: z.string().min(1), message: z.string().optional(), variables: variablesSchema.optional() })
  .superRefine(oneTarget);

/**
 * `fail: {activity | topic, retries?, message?, details?, retryTimeout?}`: reports a
 * technical failure of the external task. `retries` (default 0) left; 0 raises an
 * incident. `retryTimeout` is an ISO-8601 duration before the task may be fetched again.
 */
export const failSchema = z
  .strictObject({
    ...target,
    retries: z.number().int().min(0).default(0),
    message: z.string().optional(),
    details: z.string().optional(),
    retryTimeout: durationSchema.optional(),
  })
  .superRefine(oneTarget);

/**
 * `correlate: {message, businessKey?, correlationKeys?, correlationKey?, variables?, all?}`:
 * correlates a message (Camunda 7 `POST /message` rules): one waiting subscription or
 * message start event must match, or `all: true`.
 */
export const correlateSchema = z.strictObject({
  message: z.string().min(1),
  businessKey: businessKeySchema.optional(),
  correlationKeys: variablesSchema.optional(),
  correlationKey: z.string().optional(),
  variables: variablesSchema.optional(),
  all: z.boolean().optional(),
});

/** `signal: {name, variables?}`: broadcasts a signal to every instance and signal start event. */
export const signalSchema = z.strictObject({ name: z.string().min(1), variables: variablesSchema.optional() });

/**
 * `advanceClock: PT1H`: moves the clock by an ISO-8601 duration, firing every job due by
 * then (timers, retried jobs, asynchronous continuations) in due order, each at its due
 * time. `PT0S` fires what is due now.
 */
export const advanceClockSchema = durationSchema;

/** Instance states an `expect` can name. `incident`: active with at least one open incident. */
export const EXPECTED_STATES = ['active', 'completed', 'terminated', 'incident'] as const;

/**
 * State of an instance as a scenario sees it: `active`; `completed` (every token consumed,
 * a terminate end event included); `terminated` (cancelled from outside); `incident`
 * (active with at least one open incident).
 */
export type ExpectedState = (typeof EXPECTED_STATES)[number];

/**
 * `expect: {waitingAt?, state?, passed?, notPassed?, variables?, incidents?, instances?, in?}`:
 * checks the main instance (or, with `in: <process key>`, the latest instance of that
 * key started in this scenario, e.g. a called process). At least one check.
 */
export const expectSchema = z
  .strictObject({
    waitingAt: z.array(z.string().min(1)).optional(),
    state: z.enum(EXPECTED_STATES).optional(),
    passed: z.array(z.string().min(1)).optional(),
    notPassed: z.array(z.string().min(1)).optional(),
    variables: variablesSchema.optional(),
    incidents: z.number().int().min(0).optional(),
    instances: z.record(z.string(), z.number().int().min(0)).optional(),
    in: z.string().min(1).optional(),
  })
  .superRefine((v, ctx) => {
    const checks = ['waitingAt', 'state', 'passed', 'notPassed', 'variables', 'incidents', 'instances'] as const;
    if (!checks.some((k) => v[k] !== undefined)) ctx.addIssue({ code: 'custom', message: `needs at least one of ${checks.join(', ')}` });
  });

/** `setVariables: {variables, in?}`: sets process variables of the main instance (or the latest instance of `in`). */
export const setVariablesSchema = z.strictObject({ variables: variablesSchema, in: z.string().min(1).optional() });

/** `resolveIncident: {activity}`: resolves the oldest open incident at `activity` (a failed external task gets one retry; an engine incident re-runs its step). */
export const resolveIncidentSchema = z.strictObject({ activity: z.string().min(1) });

/** `cancel: {reason?}` (or `cancel:` alone): cancels the main instance from outside; it ends `terminated`. */
export const cancelSchema = z.preprocess((v) => v ?? {}, z.strictObject({ reason: z.string().optional() }));

/** The schema of each step kind's body. */
export const stepBodySchemas = {
  expect: expectSchema,
  complete: completeSchema,
  bpmnError: bpmnErrorSchema,
  fail: failSchema,
  correlate: correlateSchema,
  signal: signalSchema,
  advanceClock: advanceClockSchema,
  setVariables: setVariablesSchema,
  resolveIncident: resolveIncidentSchema,
  cancel: cancelSchema,
} as const;

/** A step kind: the one key of a step. */
export type StepKind = keyof typeof stepBodySchemas;

/** Every step kind, in documentation order. */
export const STEP_KINDS = Object.keys(stepBodySchemas) as StepKind[];

/** One step: a mapping with exactly one key, its kind. */
export const stepSchema = z.union([
  z.strictObject({ expect: expectSchema }),
  z.strictObject({ complete: completeSchema }),
  z.strictObject({ bpmnError: bpmnErrorSchema }),
  z.strictObject({ fail: failSchema }),
  z.strictObject({ correlate: correlateSchema }),
  z.strictObject({ signal: signalSchema }),
  z.strictObject({ advanceClock: advanceClockSchema }),
  z.strictObject({ setVariables: setVariablesSchema }),
  z.strictObject({ resolveIncident: resolveIncidentSchema }),
  z.strictObject({ cancel: cancelSchema }),
]);

/** `start: {process, businessKey?, variables?}`: the main instance, started by process key (latest version). */
export const startSchema = z.strictObject({
  process: z.string().min(1),
  businessKey: businessKeySchema.optional(),
  variables: variablesSchema.optional(),
});

/** The fields of a scenario other than its steps. */
const headerShape = {
  /** Shown in results. @default the file name */
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Where the clock starts, an ISO-8601 instant. @default 2026-01-01T00:00:00Z */
  startTime: z
    .string()
    .superRefine((s, ctx) => {
      if (parseInstant(s) === null) ctx.addIssue({ code: 'custom', message: `"${s}" is not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z)` });
    })
    .optional(),
  /** BPMN files, relative to the scenario file; deployed together, as one deployment. */
  deploy: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  start: startSchema,
};

/** The scenario without its steps validated (the runner checks steps one by one). */
export const scenarioHeaderSchema = z.strictObject({ ...headerShape, steps: z.array(z.unknown()) });

/** A whole scenario file, as parsed YAML. */
export const scenarioSchema = z.strictObject({ ...headerShape, steps: z.array(stepSchema) });

/** A scenario as written (input of {@link scenarioSchema}). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario. */
export type Scenario = z.output<typeof scenarioSchema>;
/** The validated body of a step of kind `K`. */
export type StepBody<K extends StepKind> = z.output<(typeof stepBodySchemas)[K]>;
