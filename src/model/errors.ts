/**
 * Coded errors of the model layer (BPMN parsing, validation and compilation).
 * Codes are stable; a retired code is never reused. Every code is documented in
 * docs/errors.md (checked by test/common/errors.test.ts).
 */
import type { ErrorSpec } from '../common/errors.js';

export const ModelErrors = {
  /** The XML is not well formed. details: {file, line, column} */
  NOT_WELL_FORMED: { code: 'PROCOS_MODEL_NOT_WELL_FORMED', status: 400 },
  /** The document has a DOCTYPE or entity declaration (refused: no external entities, no entity expansion). */
  DOCTYPE_FORBIDDEN: { code: 'PROCOS_MODEL_DOCTYPE_FORBIDDEN', status: 400 },
  /** The document is larger than the configured limit (default 10 MiB). details: {bytes, maxBytes} */
  TOO_LARGE: { code: 'PROCOS_MODEL_TOO_LARGE', status: 413 },
  /** The document has no process with isExecutable="true". */
  NO_EXECUTABLE_PROCESS: { code: 'PROCOS_MODEL_NO_EXECUTABLE_PROCESS', status: 400 },
  /** A sequence flow's sourceRef or targetRef is missing or names no flow node. details: {elementId} */
  FLOW_REF_MISSING: { code: 'PROCOS_MODEL_FLOW_REF_MISSING', status: 400 },
  /** An element kind (or event definition, or attribute) the engine does not run yet. details: {elementId, elementType} */
  UNSUPPORTED_ELEMENT: { code: 'PROCOS_MODEL_UNSUPPORTED_ELEMENT', status: 400 },
  /** A Java-only implementation: camunda:class, camunda:delegateExpression, bean/method expressions. details: {elementId, attribute} */
  JAVA_IMPLEMENTATION: { code: 'PROCOS_MODEL_JAVA_IMPLEMENTATION', status: 400 },
  /** Any other structural problem: no start event, missing topic, a gateway without outgoing flow. details: {elementId} */
  INVALID: { code: 'PROCOS_MODEL_INVALID', status: 400 },
} as const satisfies Record<string, ErrorSpec>;
