/**
 * Compiled process models by process definition id: each definition is parsed once per
 * runtime, never per instance (ARCHITECTURE.md "Speed by design").
 */
import { ProcosError } from '../common/errors.js';
import { compileBpmn } from '../model/index.js';
import type { ProcessModel } from '../model/index.js';
import type { Store } from '../store/index.js';
import { RuntimeErrors } from './errors.js';

export class ModelCache {
  private readonly models = new Map<string, Promise<ProcessModel>>();

  constructor(private readonly store: Store) {}

  /** Puts an already compiled model (at deploy time). */
  put(definitionId: string, model: ProcessModel): void {
    this.models.set(definitionId, Promise.resolve(model));
  }

  /** The model of a definition, compiled on first use. @throws PROCOS_RUNTIME_DEFINITION_NOT_FOUND */
  get(definitionId: string): Promise<ProcessModel> {
    let p = this.models.get(definitionId);
    if (p === undefined) {
      p = this.load(definitionId);
      this.models.set(definitionId, p);
      p.catch(() => this.models.delete(definitionId));
    }
    return p;
  }

  private async load(definitionId: string): Promise<ProcessModel> {
    const def = await this.store.getProcessDefinition(definitionId);
    if (def === null) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `process definition ${definitionId} does not exist`, { id: definitionId });
    const res = await this.store.getResource(def.deploymentId, def.resourceName);
    if (res === null) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `resource ${def.resourceName} of process definition ${definitionId} is missing`, { id: definitionId });
    const models = await compileBpmn(res.content, { file: def.resourceName });
    const model = models.find((m) => m.id === def.key);
    if (model === undefined) throw new ProcosError(RuntimeErrors.DEFINITION_NOT_FOUND, `resource ${def.resourceName} no longer holds process ${def.key}`, { id: definitionId });
    return model;
  }
}
