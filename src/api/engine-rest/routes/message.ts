/**
 * `POST /message` and `POST /signal` (Camunda 7 REST "Message", "Signal").
 *
 * A message (CorrelationMessageDto) is correlated by the runtime
 * (`correlateMessageWithResult`): to the waiting message subscriptions of that name,
 * narrowed by `businessKey`, `processInstanceId`, `correlationKeys` (process variables
 * equal to the given typed values), `localCorrelationKeys` (local variables of the
 * waiting activity instance) and `tenantId` / `withoutTenantId`; or to the message start
 * events of the latest definitions. One match, or every match with `all`. The answer is
 * 204, or with `resultEnabled` 200 and one MessageCorrelationResultWithVariableDto per
 * delivery (`variables` with `variablesInResultEnabled`). Nothing matches, or several
 * without `all`: 400 `RestException` with Camunda's message
 * (PROCOS_RUNTIME_MESSAGE_NOT_CORRELATED / _AMBIGUOUS).
 *
 * A signal (SignalDto) is broadcast by the runtime (`broadcastSignal`) to every waiting
 * signal subscription and signal start event of that name, in one transaction: 204, also
 * when nobody receives it (as Camunda).
 *
 * Differences from Camunda: `processVariablesLocal` is set where `processVariables` is
 * set (the scope that defines the name, else the process instance: where Camunda puts
 * them too for a message waited for in the process's main flow);
 * `processVariablesToTriggeredScope`, a signal's `executionId` (delivery to one
 * execution) and a signal's tenant filters are refused with PROCOS_API_NOT_SUPPORTED.
 * A result's `processInstance` is given for every result type (Camunda leaves it null
 * for `Execution` results), `execution` only for `Execution` results.
 */
import { ProcosError, isProcosError } from '../../../common/errors.js';
import type { JsonValue, Variables } from '../../../common/json.js';
import { RuntimeErrors } from '../../../runtime/index.js';
import type { MessageCorrelationRequest, MessageDelivery } from '../../../runtime/runtime.js';
import { ApiErrors } from '../../errors.js';
import { baseUrl } from '../context.js';
import type { RouteContext, RouteModule } from '../context.js';
import { DefinitionLookup, processInstanceDto } from '../dto.js';
import { Body } from '../read.js';
import { fromTypedVariables, toTypedVariables } from '../variables.js';

function tenantCheck(body: Body): void {
  if (body.string('tenantId') !== undefined && body.boolean('withoutTenantId') === true) {
    throw new ProcosError(ApiErrors.INVALID_REQUEST, "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.", { field: 'tenantId' });
  }
}

function nonEmpty(v: Variables | undefined): v is Variables {
  return v !== undefined && Object.keys(v).length > 0;
}

/** What a message request asks for, checked. */
interface MessageRequest {
  correlation: MessageCorrelationRequest;
  resultEnabled: boolean;
  variablesInResultEnabled: boolean;
}

function readMessage(raw: unknown): MessageRequest {
  const body = new Body(raw);
  const messageName = body.string('messageName');
  if (messageName === undefined || messageName === '') throw new ProcosError(ApiErrors.INVALID_REQUEST, 'No message name supplied', { field: 'messageName' });
  tenantCheck(body);
  const resultEnabled = body.boolean('resultEnabled') === true;
  const variablesInResultEnabled = body.boolean('variablesInResultEnabled') === true;
  if (variablesInResultEnabled && !resultEnabled) {
    throw new ProcosError(ApiErrors.INVALID_REQUEST, "Parameter 'variablesInResultEnabled' cannot be used without 'resultEnabled' set to true.", { field: 'variablesInResultEnabled' });
  }
  if (nonEmpty(fromTypedVariables(body.raw('processVariablesToTriggeredScope'), 'processVariablesToTriggeredScope'))) {
    throw new ProcosError(
      ApiErrors.NOT_SUPPORTED,
      'processVariablesToTriggeredScope is not supported by ProcOS yet (variables local to the triggered scope); send them as processVariables',
      { feature: 'processVariablesToTriggeredScope' },
    );
  }
  const correlationKeys = fromTypedVariables(body.raw('correlationKeys'), 'correlationKeys');
  const localCorrelationKeys = fromTypedVariables(body.raw('localCorrelationKeys'), 'localCorrelationKeys');
  const processVariables = fromTypedVariables(body.raw('processVariables'), 'processVariables');
  const processVariablesLocal = fromTypedVariables(body.raw('processVariablesLocal'), 'processVariablesLocal');
  const businessKey = body.string('businessKey');
  const processInstanceId = body.string('processInstanceId');
  const tenantId = body.string('tenantId');
  const all = body.boolean('all');
  const withoutTenantId = body.boolean('withoutTenantId');
  return {
    correlation: {
      messageName,
      ...(businessKey !== undefined ? { businessKey } : {}),
      ...(processInstanceId !== undefined ? { processInstanceId } : {}),
      ...(nonEmpty(correlationKeys) ? { correlationKeys } : {}),
      ...(nonEmpty(localCorrelationKeys) ? { localCorrelationKeys } : {}),
      ...(nonEmpty(processVariables) ? { processVariables } : {}),
      ...(nonEmpty(processVariablesLocal) ? { processVariablesLocal } : {}),
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(withoutTenantId === true ? { withoutTenantId } : {}),
      ...(all === true ? { all } : {}),
    },
    resultEnabled,
    variablesInResultEnabled,
  };
}

/** Camunda's message for a message that matched several executions or start events (MismatchingMessageCorrelationException). */
function ambiguous(e: ProcosError, name: string): ProcosError {
  const n = typeof e.details.matches === 'number' ? e.details.matches : 2;
  return new ProcosError(
    RuntimeErrors.MESSAGE_AMBIGUOUS,
    `Cannot correlate a message with name '${name}' to a single execution. ${n} executions match the correlation keys; send the message with "all": true to correlate it to all of them`,
    { ...e.details },
    { cause: e },
  );
}

/** One MessageCorrelationResultWithVariableDto. */
async function resultDto(d: MessageDelivery, defs: DefinitionLookup, base: string, withVariables: boolean): Promise<Record<string, JsonValue>> {
  const def = await defs.get(d.processDefinitionId);
  const processInstance = processInstanceDto(
    { id: d.processInstanceId, processDefinitionId: d.processDefinitionId, processDefinitionKey: def?.key ?? '', businessKey: d.businessKey, status: d.status },
    d.tenantId,
    base,
  );
  return {
    resultType: d.resultType,
    processInstance,
    ...(d.resultType === 'Execution' && d.activityInstanceId !== null
      ? { execution: { id: d.activityInstanceId, processInstanceId: d.processInstanceId, ended: d.status !== 'active', tenantId: d.tenantId } }
      : {}),
    ...(withVariables ? { variables: toTypedVariables(d.variables) as unknown as JsonValue } : {}),
  };
}

async function correlate(ctx: RouteContext, req: MessageRequest): Promise<MessageDelivery[]> {
  try {
    return await ctx.runtime.correlateMessageWithResult(req.correlation);
  } catch (e) {
    if (isProcosError(e, RuntimeErrors.MESSAGE_AMBIGUOUS)) throw ambiguous(e, req.correlation.messageName);
    throw e;
  }
}

/** Registers `POST /message` and `POST /signal`. */
export const messageRoutes: RouteModule = (scope, ctx) => {
  scope.post('/message', { bodyLimit: ctx.bodyLimit }, async (req, reply) => {
    const request = readMessage(req.body);
    const deliveries = await correlate(ctx, request);
    if (!request.resultEnabled) return reply.code(204).send();
    const defs = new DefinitionLookup(ctx.store);
    const base = baseUrl(scope, req);
    const results: Record<string, JsonValue>[] = [];
    for (const d of deliveries) results.push(await resultDto(d, defs, base, request.variablesInResultEnabled));
    return reply.code(200).type('application/json').send(results);
  });
  scope.post('/signal', { bodyLimit: ctx.bodyLimit }, async (req, reply) => {
    const body = new Body(req.body);
    const name = body.string('name');
    if (name === undefined || name === '') throw new ProcosError(ApiErrors.INVALID_REQUEST, 'No signal name given', { field: 'name' });
    tenantCheck(body);
    const variables = fromTypedVariables(body.raw('variables'), 'variables');
    const executionId = body.string('executionId');
    if (executionId !== undefined) {
      throw new ProcosError(ApiErrors.NOT_SUPPORTED, `Delivering signal '${name}' to one execution (executionId) is not supported by ProcOS yet; leave executionId out to broadcast it`, { feature: 'executionId' });
    }
    if (body.string('tenantId') !== undefined || body.boolean('withoutTenantId') === true) {
      throw new ProcosError(ApiErrors.NOT_SUPPORTED, `Delivering signal '${name}' to one tenant (tenantId, withoutTenantId) is not supported by ProcOS yet; leave them out to broadcast it`, { feature: 'tenantId' });
    }
    await ctx.runtime.broadcastSignal(name, variables ?? {});
    return reply.code(204).send();
  });
};
