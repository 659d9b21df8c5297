/**
 * Type declarations for the parts of bpmn-moddle (v10) the model layer uses. The
 * package ships types for the generated model only, not for its entry point.
 * Source: bpmn-moddle `dist/index.js` (`BpmnModdle`, `fromXML`).
 */
declare module 'bpmn-moddle' {
  /** A warning collected while reading (unknown content, unresolved reference …). */
  export interface ModdleWarning {
    readonly message: string;
    /** For unresolved references and unknown attributes: the element that holds them. */
    readonly element?: unknown;
    /** For unresolved references: the property (`bpmn:targetRef`); for unknown attributes: its name. */
    readonly property?: string;
    /** For unresolved references: the id that resolved to nothing. */
    readonly value?: unknown;
    readonly error?: unknown;
  }
  /** The result of {@link BpmnModdle.fromXML}. */
  export interface ModdleParseResult {
    readonly rootElement: unknown;
    readonly warnings: readonly ModdleWarning[];
    readonly references: readonly unknown[];
    readonly elementsById: Readonly<Record<string, unknown>>;
  }
  /** A moddle instance knowing BPMN 2.0 plus the given extension packages. */
  export class BpmnModdle {
    constructor(packages?: Readonly<Record<string, object>>, options?: Readonly<Record<string, unknown>>);
    /** Reads a document; rejects with an Error carrying `warnings` when the root cannot be read. */
    fromXML(xml: string, options?: Readonly<Record<string, unknown>>): Promise<ModdleParseResult>;
  }
}
