/**
 * `POST /message` and `POST /signal` (Camunda 7 REST "Message", "Signal").
 *
 * This API does not deliver messages or signals yet (message and signal events are the
 * subject of a later version), so nothing can receive one through it. Rather than a
 * success that delivered nothing, both answer 400 after checking the body: a message as
 * Camunda answers a message that matches no subscription (RestException "Cannot
 * correlate message …", PROCOS_API_MESSAGE_NOT_CORRELATED), a signal with
 * PROCOS_API_NOT_SUPPORTED. (Camunda answers 204 for a signal nobody receives, and for
 * `all: true` messages with no match.)
 */
import { ProcosError } from '../../../common/errors.js';
import { ApiErrors } from '../../errors.js';
import type { RouteModule } from '../context.js';
import { Body } from '../read.js';
import { fromTypedVariables } from '../variables.js';

function tenantCheck(body: Body): void {
  if (body.string('tenantId') !== undefined && body.boolean('withoutTenantId') === true) {
    throw new ProcosError(ApiErrors.INVALID_REQUEST, "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.", { field: 'tenantId' });
  }
}

/** Registers `POST /message` and `POST /signal`. */
export const messageRoutes: RouteModule = (scope, ctx) => {
  scope.post('/message', { bodyLimit: ctx.bodyLimit }, async (req) => {
    const body = new Body(req.body);
    const name = body.string('messageName');
    if (name === undefined || name === '') throw new ProcosError(ApiErrors.INVALID_REQUEST, 'No message name supplied', { field: 'messageName' });
    for (const f of ['businessKey', 'processInstanceId', 'tenantId']) body.string(f);
    for (const f of ['all', 'resultEnabled', 'variablesInResultEnabled', 'withoutTenantId']) body.boolean(f);
    for (const f of ['correlationKeys', 'localCorrelationKeys', 'processVariables', 'processVariablesLocal', 'processVariablesToTriggeredScope']) fromTypedVariables(body.raw(f), f);
    tenantCheck(body);
    throw new ProcosError(
      ApiErrors.MESSAGE_NOT_CORRELATED,
      `Cannot correlate message '${name}': No process definition or execution matches the parameters (the Camunda REST API of ProcOS does not deliver messages yet)`,
      { messageName: name },
    );
  });
  scope.post('/signal', { bodyLimit: ctx.bodyLimit }, async (req) => {
    const body = new Body(req.body);
    const name = body.string('name');
    if (name === undefined || name === '') throw new ProcosError(ApiErrors.INVALID_REQUEST, 'No signal name given', { field: 'name' });
    body.string('executionId');
    body.string('tenantId');
    body.boolean('withoutTenantId');
    fromTypedVariables(body.raw('variables'), 'variables');
    tenantCheck(body);
    throw new ProcosError(ApiErrors.NOT_SUPPORTED, `Cannot deliver signal '${name}': the Camunda REST API of ProcOS does not deliver signals yet; nothing was done`, { feature: 'signal' });
  });
};
