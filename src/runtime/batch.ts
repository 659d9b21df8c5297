/**
 * Turns the engine's effects of one command into the store's {@link WriteBatch}: the
 * new instance state, external and user tasks, incidents, variables and history, all to
 * be committed in one transaction.
 */
import type { Effect, InstanceState } from '../engine/index.js';
import type {
  ExternalTaskDelete,
  HistoricActivityEnd,
  HistoricActivityStart,
  HistoricProcessEnd,
  HistoricProcessStart,
  HistoricVariableUpdate,
  IncidentResolve,
  InstanceWrite,
  JobDelete,
  NewJob,
  NewSubscription,
  NewExternalTask,
  NewIncident,
  NewUserTask,
  VariableDelete,
  VariableWrite,
  WriteBatch,
} from '../store/index.js';

/** Where the instance stands before the command. */
export interface InstanceRef {
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  /** null for a new instance. */
  readonly revision: number | null;
  readonly superInstanceId?: string | null;
}

/** A mutable batch under construction. */
export interface BatchBuilder {
  instances: InstanceWrite[];
  externalTaskInserts: NewExternalTask[];
  externalTaskDeletes: ExternalTaskDelete[];
  userTaskInserts: NewUserTask[];
  userTaskDeletes: string[];
  incidentInserts: NewIncident[];
  incidentResolves: IncidentResolve[];
  variableUpserts: VariableWrite[];
  variableDeletes: VariableDelete[];
  subscriptionInserts: NewSubscription[];
  subscriptionDeletes: string[];
  jobInserts: NewJob[];
  jobDeletes: JobDelete[];
  processStarts: HistoricProcessStart[];
  processEnds: HistoricProcessEnd[];
  activityStarts: HistoricActivityStart[];
  activityEnds: HistoricActivityEnd[];
  variableUpdates: HistoricVariableUpdate[];
  /** Topics that received new tasks (to wake long-polling fetches after commit). */
  topics: Set<string>;
  /** External task ids removed by interruption (their open incidents must be resolved). */
  removedTasks: string[];
  /** Due times of jobs created (to wake the job executor after commit). */
  jobDue: number[];
}

/** An empty builder. */
export function newBatch(): BatchBuilder {
  return {
    instances: [],
    externalTaskInserts: [],
    externalTaskDeletes: [],
    userTaskInserts: [],
    userTaskDeletes: [],
    incidentInserts: [],
    incidentResolves: [],
    variableUpserts: [],
    variableDeletes: [],
    subscriptionInserts: [],
    subscriptionDeletes: [],
    jobInserts: [],
    jobDeletes: [],
    processStarts: [],
    processEnds: [],
    activityStarts: [],
    activityEnds: [],
    variableUpdates: [],
    topics: new Set(),
    removedTasks: [],
    jobDue: [],
  };
}

/** The store batch of a builder (empty arrays left out). */
export function toWriteBatch(b: BatchBuilder): WriteBatch {
  const opt = <T>(xs: T[]): T[] | undefined => (xs.length > 0 ? xs : undefined);
  return {
    instances: opt(b.instances),
    externalTaskInserts: opt(b.externalTaskInserts),
    externalTaskDeletes: opt(b.externalTaskDeletes),
    userTaskInserts: opt(b.userTaskInserts),
    userTaskDeletes: opt(b.userTaskDeletes),
    incidentInserts: opt(b.incidentInserts),
    incidentResolves: opt(b.incidentResolves),
    variableUpserts: opt(b.variableUpserts),
    variableDeletes: opt(b.variableDeletes),
    subscriptionInserts: opt(b.subscriptionInserts),
    subscriptionDeletes: opt(b.subscriptionDeletes),
    jobInserts: opt(b.jobInserts),
    jobDeletes: opt(b.jobDeletes),
    history: {
      processStarts: opt(b.processStarts),
      processEnds: opt(b.processEnds),
      activityStarts: opt(b.activityStarts),
      activityEnds: opt(b.activityEnds),
      variableUpdates: opt(b.variableUpdates),
      incidentsCreated: opt(b.incidentInserts),
      incidentsResolved: opt(b.incidentResolves),
    },
  };
}

/**
 * Adds one command's result to a batch: the instance write (insert for a new instance,
 * revision-guarded update otherwise) and one row per effect.
 */
export function addCommandResult(b: BatchBuilder, ref: InstanceRef, state: InstanceState, effects: readonly Effect[], now: number): void {
  const pi = state.id;
  const ended = state.status !== 'active';
  let startTime = now;
  for (const e of effects) {
    switch (e.type) {
      case 'processStarted':
        startTime = e.time;
        b.processStarts.push({ processInstanceId: pi, processDefinitionId: ref.processDefinitionId, processDefinitionKey: ref.processDefinitionKey, businessKey: e.businessKey, superInstanceId: ref.superInstanceId ?? null, startTime: e.time });
        break;
      case 'processEnded':
        b.processEnds.push({ processInstanceId: pi, status: e.status, endTime: e.time, reason: e.reason ?? null });
        b.variableDeletes.push({ scopeId: pi });
        break;
      case 'activityStarted':
        b.activityStarts.push({ activityInstanceId: e.activityInstanceId, processInstanceId: pi, elementId: e.elementId, elementType: e.elementType, elementName: e.elementName ?? null, parentActivityInstanceId: e.parentActivityInstanceId, startTime: e.time });
        break;
      case 'activityEnded':
        b.activityEnds.push({ activityInstanceId: e.activityInstanceId, endTime: e.time, canceled: e.canceled });
        if (e.hadLocalVariables === true) b.variableDeletes.push({ scopeId: e.activityInstanceId });
        break;
      case 'externalTaskCreated':
        b.externalTaskInserts.push({
          id: e.externalTaskId,
          processInstanceId: pi,
          processDefinitionId: ref.processDefinitionId,
          processDefinitionKey: ref.processDefinitionKey,
          businessKey: state.businessKey,
          activityInstanceId: e.activityInstanceId,
          elementId: e.elementId,
          topic: e.topic,
          priority: e.priority,
          retries: e.retries,
          createdTime: e.time,
        });
        b.topics.add(e.topic);
        break;
      case 'externalTaskRemoved':
        b.externalTaskDeletes.push({ id: e.externalTaskId });
        b.removedTasks.push(e.externalTaskId);
        break;
      case 'userTaskCreated':
        b.userTaskInserts.push({
          id: e.activityInstanceId,
          processInstanceId: pi,
          processDefinitionId: ref.processDefinitionId,
          elementId: e.elementId,
          name: e.name,
          assignee: e.assignee,
          candidateGroups: e.candidateGroups,
          candidateUsers: e.candidateUsers,
          dueDate: e.dueDate,
          followUpDate: e.followUpDate,
          priority: e.priority,
          formKey: e.formKey,
          createdTime: e.time,
        });
        break;
      case 'userTaskRemoved':
        b.userTaskDeletes.push(e.activityInstanceId);
        break;
      case 'incidentCreated':
        b.incidentInserts.push({ id: e.incidentId, type: e.incidentType, message: e.message, processInstanceId: pi, processDefinitionId: ref.processDefinitionId, activityInstanceId: e.activityInstanceId, elementId: e.elementId, createdTime: e.time });
        break;
      case 'incidentResolved':
        b.incidentResolves.push({ id: e.incidentId, time: e.time });
        break;
      case 'subscriptionCreated':
        b.subscriptionInserts.push({ id: e.subscriptionId, processInstanceId: pi, activityInstanceId: e.activityInstanceId, elementId: e.elementId, eventType: e.eventType, name: e.name, correlationKey: e.correlationKey, createdTime: e.time });
        break;
      case 'subscriptionRemoved':
        b.subscriptionDeletes.push(e.subscriptionId);
        break;
      case 'jobCreated':
        b.jobInserts.push({ id: e.jobId, processInstanceId: pi, processDefinitionId: ref.processDefinitionId, activityInstanceId: e.activityInstanceId, elementId: e.elementId, type: e.jobType, dueTime: e.dueTime, retries: e.retries, createdTime: e.time });
        b.jobDue.push(e.dueTime);
        break;
      case 'jobRemoved':
        b.jobDeletes.push({ id: e.jobId });
        break;
      case 'variableSet':
        b.variableUpserts.push({ processInstanceId: pi, scopeId: e.scopeId, name: e.name, value: e.value });
        b.variableUpdates.push({ processInstanceId: pi, scopeId: e.scopeId, name: e.name, value: e.value, time: e.time });
        break;
    }
  }
  if (ref.revision === null) {
    b.instances.push({
      kind: 'insert',
      id: pi,
      processDefinitionId: ref.processDefinitionId,
      processDefinitionKey: ref.processDefinitionKey,
      businessKey: state.businessKey,
      status: state.status,
      state,
      startTime,
      endTime: ended ? now : null,
      superInstanceId: ref.superInstanceId ?? null,
    });
  } else {
    b.instances.push({ kind: 'update', id: pi, expectedRevision: ref.revision, status: state.status, state, endTime: ended ? now : null });
  }
}
